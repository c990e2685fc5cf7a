package dev.imm.provider.oci;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import dev.imm.model.Address;
import dev.imm.model.ContainerBuild;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.ContainerRegistry;
import dev.imm.provider.LiveImage;
import dev.imm.model.PolicyCheck;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Container images in OCI registries: built and pushed with jib (no Docker daemon), reproducibly (files
 * in the order declared, fixed times and owners, creation time 1970-01-01), under the tag
 * {@code imm-<bake hash>} so that a plan finds an image it baked before; signed and verified the way
 * cosign does it ({@link CosignSignatures}); scanned by the user's own scanner ({@link ScanCommand}).
 */
public final class OciRegistry implements ContainerRegistry {
    /** The label every image imm builds carries: the bake hash of its inputs. */
    public static final String BAKE_HASH_LABEL = "dev.imm.bake-hash";

    private final RegistryClient client = new RegistryClient(new Credentials());
    private final CosignSignatures signatures = new CosignSignatures(client);
    private final Path directory;
    /** What each tag named when first asked: one command sees one answer per tag (a plan and its apply agree). */
    private final Map<String, Optional<String>> tags = new java.util.concurrent.ConcurrentHashMap<>();

    /** Registries for a stack: its scanners run in {@code directory}. */
    public OciRegistry(Path directory) {
        this.directory = directory;
    }

    /** The tag an image of these inputs is pushed under. */
    public static String bakeTag(String bakeHash) {
        return "imm-" + bakeHash;
    }

    /** A reference parsed, or a provider error that says what is wrong with it. */
    static ImageReference parse(String reference) throws ProviderException {
        try {
            return ImageReference.parse(reference);
        } catch (InvalidImageReferenceException e) {
            throw new ProviderException("\"" + reference + "\" is not an image reference such as 127.0.0.1:5000/app@sha256:…", false);
        }
    }

    /** {@code host/repo@sha256:…} of an image. */
    static String digestReference(ImageReference image, String digest) {
        return image.getRegistry() + "/" + image.getRepository() + "@" + digest;
    }

    @Override
    public Optional<String> digestOf(String reference) throws ProviderException {
        ImageReference image = parse(reference);
        if (image.getDigest().isPresent()) {
            return Optional.of(digestReference(image, image.getDigest().get()));
        }
        Optional<String> known = tags.get(reference);
        if (known == null) {
            known = client.digest(image.getRegistry(), image.getRepository(), image.getTag().orElse("latest"))
                    .map(d -> digestReference(image, d));
            tags.put(reference, known);
        }
        return known;
    }

    @Override
    public List<LiveImage> read(Collection<Lookup> lookups) throws ProviderException {
        Map<String, LiveImage> found = new LinkedHashMap<>();
        for (Lookup lookup : lookups) {
            String reference = null;
            if (lookup.reference() != null) {
                ImageReference image = parse(lookup.reference());
                if (image.getDigest().isPresent() && client.digest(image.getRegistry(), image.getRepository(),
                        image.getDigest().get()).isPresent()) {
                    reference = lookup.reference();
                }
            } else if (lookup.repository() != null && lookup.bakeHash() != null) {
                ImageReference repo = parse(lookup.repository());
                reference = client.digest(repo.getRegistry(), repo.getRepository(), bakeTag(lookup.bakeHash()))
                        .map(d -> digestReference(repo, d)).orElse(null);
            }
            if (reference != null) {
                found.putIfAbsent(lookup.image() + " " + reference,
                        LiveImage.of(reference, lookup.image(), lookup.bakeHash(), "", 0, Map.of()));
            }
        }
        return new ArrayList<>(found.values());
    }

    @Override
    public BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
        ContainerBuild build = request.container();
        long start = System.currentTimeMillis();
        ImageReference target = parse(build.pushTo() + ":" + bakeTag(request.bakeHash()));
        JibContainerBuilder builder;
        if (request.sourceImageId().equals(ContainerBuild.SCRATCH)) {
            builder = Jib.fromScratch();
        } else {
            ImageReference base = parse(request.sourceImageId());
            RegistryImage from = RegistryImage.named(base);
            Credentials.chain(base).forEach(from::addCredentialRetriever);
            builder = Jib.from(from);
        }
        listener.event(request.image(), start, "building on " + request.sourceImageId());
        for (ContainerBuild.Layer layer : build.layers()) {
            FileEntriesLayer.Builder entries = FileEntriesLayer.builder().setName(layer.name());
            for (ContainerBuild.CopiedFile file : layer.files()) {
                Path source = request.stackDirectory().resolve(file.source());
                entries.addEntry(new FileEntry(source, AbsoluteUnixPath.get(file.target()), FilePermissions.fromOctalString(
                        file.mode().length() == 4 ? file.mode().substring(1) : file.mode()),
                        FileEntriesLayer.DEFAULT_MODIFICATION_TIME, file.owner()));
            }
            builder.addFileEntriesLayer(entries.build());
        }
        Map<String, String> labels = new TreeMap<>(build.labels());
        labels.put(BAKE_HASH_LABEL, request.bakeHash());
        builder.setEnvironment(build.env()).setLabels(labels).setFormat(ImageFormat.OCI).setCreationTime(Instant.EPOCH);
        if (build.entrypoint() != null) {
            builder.setEntrypoint(build.entrypoint());
        }
        if (build.cmd() != null) {
            builder.setProgramArguments(build.cmd());
        }
        if (!build.user().isEmpty()) {
            builder.setUser(build.user());
        }
        if (!build.workdir().isEmpty()) {
            builder.setWorkingDirectory(AbsoluteUnixPath.get(build.workdir()));
        }
        String[] platform = build.platform().split("/", 2);
        builder.setPlatforms(Set.of(new Platform(platform[1], platform[0])));
        RegistryImage to = RegistryImage.named(target);
        Credentials.chain(target).forEach(to::addCredentialRetriever);
        Path cache = request.stackDirectory().resolve(".imm").resolve("cache").resolve("jib");
        List<String> warnings = new ArrayList<>();
        Containerizer containerizer = Containerizer.to(to)
                .setAllowInsecureRegistries(RegistryClient.isLoopback(target.getRegistry()))
                .setToolName("imm")
                .setBaseImageLayersCache(cache.resolve("base"))
                .setApplicationLayersCache(cache.resolve("application"))
                .addEventHandler(LogEvent.class, e -> {
                    if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
                        warnings.add(e.getMessage());
                    }
                });
        JibContainer pushed;
        try {
            pushed = builder.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("the build of " + request.image() + " was interrupted", false, e);
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e.getCause() != null && e.getCause().getMessage() != null && !why.contains(e.getCause().getMessage())) {
                why += ": " + e.getCause().getMessage();
            }
            throw new ProviderException("cannot build and push " + request.image() + " to " + build.pushTo() + ": " + why
                    + (warnings.isEmpty() ? "" : " (" + String.join("; ", warnings) + ")"), false, e);
        }
        String digest = pushed.getDigest().toString();
        String reference = digestReference(target, digest);
        listener.event(request.image(), System.currentTimeMillis(), "pushed " + reference);
        if (build.signingKey() != null) {
            try {
                signatures.sign(target.getRegistry(), target.getRepository(), digest, PemKeys.privateKey(build.signingKey().pem()));
            } catch (GeneralSecurityException e) {
                throw new ProviderException("cannot sign " + reference + ": " + e.getMessage(), false);
            }
            listener.event(request.image(), System.currentTimeMillis(), "signed " + CosignSignatures.shortDigest(digest));
        }
        return new BakeResult(reference, System.currentTimeMillis() - start);
    }

    @Override
    public boolean delete(String reference) throws ProviderException {
        ImageReference image = parse(reference);
        String digest = image.getDigest().orElseThrow(() -> new ProviderException(reference + " names no digest", false));
        Optional<String> signature = signatures.signatureDigest(image.getRegistry(), image.getRepository(), digest);
        if (signature.isPresent() && !client.deleteManifest(image.getRegistry(), image.getRepository(), signature.get())) {
            return false;
        }
        return client.deleteManifest(image.getRegistry(), image.getRepository(), digest);
    }

    @Override
    public PolicyCheck verifySignature(Address address, String reference, String publicKeyPem) {
        try {
            ImageReference image = parse(reference);
            String why = signatures.verify(image.getRegistry(), image.getRepository(), image.getDigest().orElse(""),
                    PemKeys.publicKey(publicKeyPem));
            return why == null
                    ? new PolicyCheck(address, reference, "signature", PolicyCheck.Verdict.PASSED, "signed with the policy's key")
                    : new PolicyCheck(address, reference, "signature", PolicyCheck.Verdict.FAILED, why);
        } catch (ProviderException | GeneralSecurityException e) {
            return new PolicyCheck(address, reference, "signature", PolicyCheck.Verdict.FAILED, e.getMessage());
        }
    }

    @Override
    public PolicyCheck scan(Address address, String reference, String command) {
        return ScanCommand.run(address, reference, command, directory);
    }
}
