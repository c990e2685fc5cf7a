package dev.imm.model;

import dev.imm.value.Value;
import dev.imm.value.Values;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An image's identity: the SHA-256 of its canonical bake inputs (docs/bake-hash.md). The inputs are the
 * resolved source (an image id, or {@code image:<bake hash>} of the parent for a layered image), the build
 * settings, every provisioning step in order (file and script content by hash, never by path), and the
 * tags named in {@code input_tags}. Names, descriptions, other tags and {@code keep} are not inputs: they
 * change without a new bake.
 */
public final class BakeInputs {
    public static final String FORMAT = "imm-bake-v1";

    private BakeInputs() {
    }

    /** The canonical JSON of the inputs. Sensitive environment values appear only as their hash. */
    public static String canonical(String resolvedSource, String instanceType, long timeoutMillis,
                                   List<ProvisionStep> steps, SortedMap<String, String> inputTags) {
        SortedMap<String, Object> root = new TreeMap<>();
        root.put("format", FORMAT);
        root.put("source", resolvedSource);
        SortedMap<String, Object> build = new TreeMap<>();
        build.put("instance_type", instanceType);
        build.put("timeout_ms", timeoutMillis);
        root.put("build", build);
        List<Object> encodedSteps = new ArrayList<>();
        for (ProvisionStep step : steps) {
            encodedSteps.add(step(step));
        }
        root.put("steps", encodedSteps);
        root.put("input_tags", new TreeMap<String, Object>(inputTags));
        return CanonicalJson.write(root);
    }

    /** The format of a container image's bake inputs. */
    public static final String CONTAINER_FORMAT = "imm-container-v1";

    /**
     * The canonical JSON of a container image's inputs: its resolved base (a digest reference,
     * {@code container:<bake hash>} of a parent, or {@code scratch}), every layer's files (by content hash,
     * target, mode and owner), the image configuration, and where it is pushed. The signing key is not an
     * input: signing again changes no image.
     */
    public static String container(String resolvedSource, ContainerBuild build) {
        SortedMap<String, Object> root = new TreeMap<>();
        root.put("format", CONTAINER_FORMAT);
        root.put("source", resolvedSource);
        List<Object> layers = new ArrayList<>();
        for (ContainerBuild.Layer layer : build.layers()) {
            SortedMap<String, Object> l = new TreeMap<>();
            l.put("name", layer.name());
            List<Object> files = new ArrayList<>();
            for (ContainerBuild.CopiedFile f : layer.files()) {
                SortedMap<String, Object> file = new TreeMap<>();
                file.put("target", f.target());
                file.put("mode", f.mode());
                file.put("owner", f.owner());
                file.put("content_sha256", f.sha256());
                files.add(file);
            }
            l.put("files", files);
            layers.add(l);
        }
        root.put("layers", layers);
        SortedMap<String, Object> config = new TreeMap<>();
        config.put("env", new TreeMap<String, Object>(build.env()));
        if (build.entrypoint() != null) {
            config.put("entrypoint", new ArrayList<Object>(build.entrypoint()));
        }
        if (build.cmd() != null) {
            config.put("cmd", new ArrayList<Object>(build.cmd()));
        }
        config.put("user", build.user());
        config.put("workdir", build.workdir());
        config.put("labels", new TreeMap<String, Object>(build.labels()));
        config.put("platform", build.platform());
        root.put("config", config);
        root.put("push_to", build.pushTo());
        return CanonicalJson.write(root);
    }

    private static SortedMap<String, Object> step(ProvisionStep step) {
        SortedMap<String, Object> out = new TreeMap<>();
        if (step instanceof ProvisionStep.Shell shell) {
            out.put("kind", "shell");
            if (shell.inline() != null) {
                out.put("inline", new ArrayList<Object>(shell.inline()));
            }
            if (shell.scriptSha256() != null) {
                out.put("script_sha256", shell.scriptSha256());
            }
            SortedMap<String, Object> env = new TreeMap<>();
            shell.env().forEach((k, v) -> env.put(k, envValue(v)));
            out.put("env", env);
        } else {
            ProvisionStep.FileUpload file = (ProvisionStep.FileUpload) step;
            out.put("kind", "file");
            out.put("content_sha256", file.sourceSha256());
            out.put("destination", file.destination());
        }
        return out;
    }

    private static String envValue(Value v) {
        if (v instanceof Value.Sensitive s) {
            return "sensitive:sha256:" + sha256(envValue(s.inner()));
        }
        return v instanceof Value.Str s ? s.value() : Values.render(v);
    }

    /** The hash of the canonical inputs: 64 lower-case hex digits. */
    public static String hash(String canonical) {
        return sha256(canonical);
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
