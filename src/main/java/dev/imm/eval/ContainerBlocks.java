package dev.imm.eval;

import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.model.Address;
import dev.imm.model.BakeInputs;
import dev.imm.model.BuilderNetwork;
import dev.imm.model.ContainerBuild;
import dev.imm.model.ImagePolicy;
import dev.imm.model.ImageSpec;
import dev.imm.model.SourceSpec;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decodes {@code container} blocks (docs/containers.md) into container images: a base pinned by digest
 * (a tag only with {@code allow_tag = true}, never {@code latest}), layers of copied files hashed by
 * content, the image configuration, and where it is pushed. The value that references see is
 * {@code container.NAME.digest}, {@code .ref} ({@code host/repo@sha256:…}) and {@code .bake_hash};
 * digests are known once the image is baked. Also decodes the {@code policy} block that machine images
 * share.
 */
final class ContainerBlocks {
    static final String DEFAULT_PLATFORM = "linux/amd64";
    private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]+)?/[a-z0-9]+([._/-][a-z0-9]+)*");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final Pattern OWNER = Pattern.compile("[0-9]+:[0-9]+");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]+/[a-z0-9]+");

    private final Decoder decoder;
    /** The values read for the block being decoded, by attribute: the block waits when any is unknown. */
    private final Map<String, Optional<Value>> seen = new java.util.LinkedHashMap<>();
    /** Set when a list attribute of the block being decoded could not be read. */
    private boolean unreadList;

    /** References that containers are pinned to, by address (a rollback's): used whatever the inputs. */
    private final Map<String, String> pinned;

    ContainerBlocks(Decoder decoder) {
        this(decoder, Map.of());
    }

    ContainerBlocks(Decoder decoder, Map<String, String> pinned) {
        this.decoder = decoder;
        this.pinned = pinned;
    }

    Value container(StackEvaluator.Node node, BlockReader reader, Scope scope, ModuleFiles files) {
        String what = "container \"" + node.name() + "\"";
        Address address = node.address();
        BlockReader.Body body = reader.read(node.block(), Schemas.CONTAINER_BLOCK, what);
        seen.clear();
        unreadList = false;
        boolean complete = true;
        Optional<Value> allowTag = reader.value(body, "allow_tag", Type.BOOL, scope);
        boolean allow = allowTag.filter(Decoder::usable).map(Decoder::bool).orElse(false);
        SourceSpec source = source(body, reader, scope, what, allow);
        String fromTag = source instanceof SourceSpec.ByTag tag ? tag.reference() : "";
        String pushTo = text(body, reader, scope, "push_to", "");
        if (pushTo != null && !pushTo.isEmpty() && !REPOSITORY.matcher(pushTo).matches()) {
            decoder.error(body.attribute("push_to").value().range(), "push_to \"" + pushTo + "\" is not a registry repository",
                    "as in push_to = \"127.0.0.1:5000/team/app\": a registry host, then the repository, with no tag or digest");
            pushTo = null;
        }
        String platform = text(body, reader, scope, "platform", DEFAULT_PLATFORM);
        if (platform != null && !PLATFORM.matcher(platform).matches()) {
            decoder.error(body.attribute("platform").value().range(), "platform \"" + platform + "\" is not os/architecture",
                    "as in platform = \"linux/arm64\"");
            platform = null;
        }
        SortedMap<String, String> env = map(body, reader, scope, "env", what);
        SortedMap<String, String> labels = map(body, reader, scope, "labels", what);
        List<String> entrypoint = list(body, reader, scope, "entrypoint");
        List<String> cmd = list(body, reader, scope, "cmd");
        String user = text(body, reader, scope, "user", "");
        String workdir = text(body, reader, scope, "workdir", "");
        if (workdir != null && !workdir.isEmpty() && !workdir.startsWith("/")) {
            decoder.error(body.attribute("workdir").value().range(), "workdir must be an absolute path", "as in workdir = \"/srv/app\"");
            workdir = null;
        }
        int keep = Decoder.DEFAULT_KEEP;
        Optional<Value> keepValue = reader.value(body, "keep", Type.NUMBER, scope);
        if (keepValue.isPresent()) {
            Integer k = decoder.wholeNumber(keepValue.get(), body.attribute("keep"), what, 1);
            keep = k == null ? keep : k;
        }
        ContainerBuild.SigningKey key = signingKey(body, reader, scope);
        List<ContainerBuild.Layer> layers = new ArrayList<>();
        for (Block layer : body.nested("layer")) {
            ContainerBuild.Layer decoded = layer(layer, reader, scope, files, what);
            if (decoded == null) {
                complete = false;
            } else {
                layers.add(decoded);
            }
        }
        ImagePolicy policy = policy(body, reader, scope, what, true);
        boolean waiting = decoder.pendingOn(address, seen);
        complete &= source != null && pushTo != null && platform != null && env != null && labels != null && !unreadList
                && user != null && workdir != null && policy != null && !waiting;
        String hash = null;
        String canonical = null;
        if (complete) {
            ContainerBuild build = new ContainerBuild(fromTag, layers, env, entrypoint, cmd, user, workdir, labels, platform,
                    pushTo, key);
            String resolved = resolved(source);
            if (resolved != null) {
                canonical = BakeInputs.container(resolved, build);
                hash = BakeInputs.hash(canonical);
            }
            decoder.images.put(address, new ImageSpec(address, source, "", 0, List.of(), List.of(), new TreeMap<>(), List.of(),
                    keep, canonical, hash, node.block().range(), BuilderNetwork.DEFAULT, build, policy));
        }
        Map<String, Value> attributes = new TreeMap<>();
        attributes.put("name", new Value.Str(node.name()));
        String known = pinned.containsKey(address.toString()) ? pinned.get(address.toString())
                : hash == null ? null : decoder.imageIds.get(hash);
        attributes.put("ref", known != null ? new Value.Str(known) : Value.Unknown.afterBake(Type.STRING));
        attributes.put("id", attributes.get("ref"));
        attributes.put("digest", known != null ? new Value.Str(known.substring(known.indexOf('@') + 1))
                : Value.Unknown.afterBake(Type.STRING));
        attributes.put("bake_hash", hash != null ? new Value.Str(hash) : new Value.Unknown(Type.STRING, Value.Unknown.AT_PLAN));
        return decoder.ref("container", address, attributes);
    }

    /** The base's identity for the bake hash: a digest reference, {@code container:<parent hash>}, or scratch. */
    private String resolved(SourceSpec source) {
        if (source instanceof SourceSpec.Layered layered) {
            ImageSpec parent = decoder.images.get(layered.image());
            return parent == null || parent.bakeHash() == null ? null : "container:" + parent.bakeHash();
        }
        if (source instanceof SourceSpec.ById byId) {
            return byId.id();
        }
        return decoder.resolver.resolve(source).orElse(null);
    }

    /** {@code from}: another container, {@code scratch}, or a registry image by digest (or, if allowed, tag). */
    private SourceSpec source(BlockReader.Body body, BlockReader reader, Scope scope, String what, boolean allowTag) {
        Attribute attribute = body.attribute("from");
        if (attribute == null) {
            return null; // reported as missing
        }
        Value v = reader.value(body, "from", Type.ANY, scope).orElse(null);
        seen.put("from", Optional.ofNullable(v));
        if (!Decoder.usable(v)) {
            return null;
        }
        Value plain = Values.unmarked(v);
        if (plain instanceof Value.Ref ref) {
            if (!ref.kind().equals("container")) {
                decoder.error(attribute.value().range(), what + " cannot start from " + ref.kind() + " " + ref.address(),
                        "a container starts from another container, a registry image or \"scratch\"");
                return null;
            }
            return new SourceSpec.Layered(Decoder.address(v));
        }
        if (!(plain instanceof Value.Str s)) {
            decoder.error(attribute.value().range(), "from must be an image reference, \"scratch\" or a container",
                    "as in from = \"127.0.0.1:5000/base@sha256:…\" or from = container.base");
            return null;
        }
        String text = s.value().strip();
        if (text.equals(ContainerBuild.SCRATCH)) {
            return new SourceSpec.ById(ContainerBuild.SCRATCH);
        }
        if (DIGEST.matcher(text).matches()) {
            return new SourceSpec.ById(text);
        }
        if (text.contains("@")) {
            decoder.error(attribute.value().range(), "\"" + text + "\" is not an image reference with a sha256 digest",
                    "a digest is sha256: and 64 lower-case hex digits");
            return null;
        }
        int slash = text.lastIndexOf('/');
        int colon = text.lastIndexOf(':');
        String tag = colon > slash ? text.substring(colon + 1) : "latest";
        String repository = colon > slash ? text.substring(0, colon) : text;
        if (tag.equals("latest")) {
            decoder.error(attribute.value().range(), what + " starts from \"latest\", which is never allowed",
                    pinHint(repository + ":latest", repository));
            return null;
        }
        if (!allowTag) {
            decoder.diagnostics.add(dev.imm.diag.Diagnostic.error(attribute.value().range(),
                    "from = \"" + text + "\" names a tag, not a digest")
                    .withHint(pinHint(text, repository))
                    .withDetail("A tag can be moved to another image at any time, so the same stack would bake different "
                            + "images. Pin the base by digest, or set allow_tag = true to follow the tag: every plan then "
                            + "resolves it and flags the container."));
            return null;
        }
        return new SourceSpec.ByTag(text);
    }

    /** How to pin a tagged base: with the digest the registry gives today, when it can be asked. */
    private String pinHint(String tagged, String repository) {
        Optional<String> digest = decoder.resolver.resolve(new SourceSpec.ByTag(tagged));
        return digest.map(d -> "pin it: from = \"" + d + "\" (what " + tagged + " names today)")
                .orElse("pin it by digest: from = \"" + repository + "@sha256:<digest>\" (`imm plan` looks the digest up"
                        + " in the registry)");
    }

    private ContainerBuild.Layer layer(Block block, BlockReader reader, Scope scope, ModuleFiles files, String what) {
        String name = block.labels().isEmpty() ? "" : block.labels().get(0).value();
        String of = "layer \"" + name + "\" of " + what;
        BlockReader.Body body = reader.read(block, Schemas.LAYER, of);
        List<ContainerBuild.CopiedFile> copied = new ArrayList<>();
        boolean ok = true;
        for (Block copy : body.nested("copy")) {
            List<ContainerBuild.CopiedFile> found = copy(copy, reader, scope, files, of);
            if (found == null) {
                ok = false;
            } else {
                copied.addAll(found);
            }
        }
        return ok ? new ContainerBuild.Layer(name, copied) : null;
    }

    /** The files of one copy: a file, or every file under a directory in name order. */
    private List<ContainerBuild.CopiedFile> copy(Block block, BlockReader reader, Scope scope, ModuleFiles files, String of) {
        BlockReader.Body body = reader.read(block, Schemas.COPY, "copy in " + of);
        String source = text(body, reader, scope, "source", null);
        String target = text(body, reader, scope, "target", null);
        String mode = text(body, reader, scope, "mode", "0644");
        String owner = text(body, reader, scope, "owner", "0:0");
        if (source == null || target == null || mode == null || owner == null) {
            return null;
        }
        if (!target.startsWith("/")) {
            decoder.error(body.attribute("target").value().range(), "a copy's target must be an absolute path", "as in target = \"/srv/app\"");
            return null;
        }
        if (!MODE.matcher(mode).matches()) {
            decoder.error(body.attribute("mode").value().range(), "mode \"" + mode + "\" is not an octal file mode", "as in mode = \"0755\"");
            return null;
        }
        if (!OWNER.matcher(owner).matches()) {
            decoder.error(body.attribute("owner").value().range(), "owner \"" + owner + "\" is not uid:gid", "as in owner = \"1000:1000\"");
            return null;
        }
        Path path;
        try {
            path = files.resolve(source, 0);
        } catch (FunctionError e) {
            decoder.error(body.attribute("source").value().range(), e.getMessage(), e.hint());
            return null;
        }
        List<ContainerBuild.CopiedFile> out = new ArrayList<>();
        String stackSource = files.stackPath(source);
        if (Files.isDirectory(path)) {
            List<Path> found;
            try (Stream<Path> walk = Files.walk(path)) {
                found = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                decoder.error(body.attribute("source").value().range(), "cannot read \"" + source + "\": " + e.getMessage(), "");
                return null;
            }
            String base = target.endsWith("/") ? target : target + "/";
            String stackBase = stackSource.endsWith("/") ? stackSource : stackSource + "/";
            for (Path file : found) {
                String relative = path.relativize(file).toString().replace('\\', '/');
                String sha = hash(file, body, source);
                if (sha == null) {
                    return null;
                }
                out.add(new ContainerBuild.CopiedFile(stackBase + relative, base + relative, mode, owner, sha));
            }
        } else if (Files.isRegularFile(path)) {
            String sha = hash(path, body, source);
            if (sha == null) {
                return null;
            }
            out.add(new ContainerBuild.CopiedFile(stackSource, target, mode, owner, sha));
        } else {
            decoder.error(body.attribute("source").value().range(), "no file or directory \"" + source + "\"",
                    "paths are relative to the directory of the file they are written in");
            return null;
        }
        return out;
    }

    private String hash(Path file, BlockReader.Body body, String source) {
        try {
            return BakeInputs.sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            decoder.error(body.attribute("source").value().range(), "cannot read \"" + source + "\": " + e.getMessage(), "");
            return null;
        }
    }

    /**
     * The image's {@code policy} block, or {@link ImagePolicy#NONE}; null with a diagnostic when it is wrong.
     * Signatures and scans are checked on container images only.
     */
    ImagePolicy policy(BlockReader.Body body, BlockReader reader, Scope scope, String what, boolean container) {
        Block block = body.single("policy");
        if (block == null) {
            return ImagePolicy.NONE;
        }
        BlockReader.Body p = reader.read(block, Schemas.POLICY, "policy of " + what);
        long maxAge = reader.value(p, "max_age", Type.DURATION, scope).filter(Decoder::usable).map(Decoder::millis).orElse(0L);
        boolean signed = reader.value(p, "require_signature", Type.BOOL, scope).filter(Decoder::usable).map(Decoder::bool).orElse(false);
        String publicKey = text(p, reader, scope, "public_key", null);
        String scan = text(p, reader, scope, "scan", null);
        if (!container) {
            for (String name : List.of("require_signature", "public_key", "scan")) {
                if (p.attribute(name) != null) {
                    decoder.error(p.attribute(name).nameRange(), name + " applies to container images only",
                            "a machine image's policy takes max_age");
                    return null;
                }
            }
        }
        if (p.attribute("max_age") != null && maxAge <= 0) {
            decoder.error(p.attribute("max_age").value().range(), "max_age must be longer than 0s", "as in max_age = 720h");
            return null;
        }
        if (signed && publicKey == null) {
            decoder.error(p.attribute("require_signature").nameRange(), "require_signature needs public_key",
                    "add public_key = file(\"keys/cosign.pub\")");
            return null;
        }
        if (scan != null && !scan.contains("{ref}")) {
            decoder.error(p.attribute("scan").value().range(), "the scan command does not name the image",
                    "put {ref} where the image reference goes, as in scan = \"trivy image --exit-code 1 {ref}\"");
            return null;
        }
        return new ImagePolicy(maxAge, signed, publicKey, scan);
    }

    private ContainerBuild.SigningKey signingKey(BlockReader.Body body, BlockReader reader, Scope scope) {
        Optional<Value> v = reader.value(body, "sign_key", Type.STRING, scope);
        seen.put("sign_key", v);
        if (v.isEmpty() || !Decoder.usable(v.get())) {
            return null;
        }
        if (!Values.containsSensitive(v.get())) {
            decoder.error(body.attribute("sign_key").value().range(), "sign_key must be a sensitive value",
                    "pass the key in a variable declared with sensitive = true, so that it never shows in plans or logs");
            return null;
        }
        return new ContainerBuild.SigningKey(Decoder.string(v.get()));
    }

    /** A string attribute; {@code fallback} when absent; null when unknown or wrong (reported). */
    private String text(BlockReader.Body body, BlockReader reader, Scope scope, String name, String fallback) {
        if (body.attribute(name) == null) {
            return fallback;
        }
        Optional<Value> v = reader.value(body, name, Type.STRING, scope);
        seen.putIfAbsent(name, v);
        return v.filter(Decoder::usable).map(Decoder::string).orElse(null);
    }

    private SortedMap<String, String> map(BlockReader.Body body, BlockReader reader, Scope scope, String name, String what) {
        if (body.attribute(name) == null) {
            return new TreeMap<>();
        }
        Optional<Value> v = reader.value(body, name, new Type.MapOf(Type.STRING), scope);
        seen.put(name, v);
        if (v.isEmpty() || !Decoder.usable(v.get())) {
            return null;
        }
        if (Values.containsSensitive(v.get())) {
            decoder.error(body.attribute(name).value().range(), name + " of " + what + " cannot be sensitive",
                    "anyone who can pull the image reads its configuration; give secrets to the running container instead");
            return null;
        }
        return Decoder.stringMap(v.get());
    }

    /** A list attribute; null when absent (the base's value stays) or unreadable (then {@link #unreadList}). */
    private List<String> list(BlockReader.Body body, BlockReader reader, Scope scope, String name) {
        if (body.attribute(name) == null) {
            return null;
        }
        Optional<Value> v = reader.value(body, name, Schemas.STRINGS, scope);
        seen.put(name, v);
        unreadList |= v.filter(Decoder::usable).isEmpty();
        return v.filter(Decoder::usable).map(Decoder::strings).orElse(null);
    }
}
