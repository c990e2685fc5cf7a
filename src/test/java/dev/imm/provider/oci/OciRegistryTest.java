package dev.imm.provider.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.model.ContainerBuild;
import dev.imm.model.PolicyCheck;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.ContainerRegistry;
import dev.imm.provider.ProgressListener;
import dev.imm.testing.LocalRegistry;
import dev.imm.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The registry side of container images, against a real registry on 127.0.0.1. */
class OciRegistryTest {
    @RegisterExtension
    static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();

    @TempDir
    Path stack;

    private BakeRequest request(String repo, String hash, String from, ContainerBuild.SigningKey key) throws Exception {
        Files.createDirectories(stack.resolve("files"));
        Files.writeString(stack.resolve("files/b.txt"), "bee\n");
        Files.writeString(stack.resolve("files/a.txt"), "ay\n");
        ContainerBuild build = new ContainerBuild("", List.of(new ContainerBuild.Layer("files", List.of(
                new ContainerBuild.CopiedFile("files/a.txt", "/data/a.txt", "0644", "0:0", "x"),
                new ContainerBuild.CopiedFile("files/b.txt", "/data/b.txt", "0600", "1000:1000", "y")))),
                new TreeMap<>(Map.of("MODE", "test")), List.of("/bin/app"), List.of("--serve"), "1000", "/data",
                new TreeMap<>(Map.of("team", "imm")), "linux/amd64", registry.host() + "/" + repo, key);
        return new BakeRequest("s", Address.of("container", "app"), hash, from, "", 0, List.of(), stack, new TreeMap<>(),
                null, build);
    }

    private static final ProgressListener QUIET = new ProgressListener() {
        @Override
        public void event(Address address, long atMillis, String message) {
        }
    };

    @Test
    void theSameInputsGiveTheSameDigestByteForByteAndRetiringDeletesTheManifest() throws Exception {
        OciRegistry oci = new OciRegistry(stack);
        String hash = "a".repeat(64);
        String first = oci.bake(request("repro", hash, ContainerBuild.SCRATCH, null), QUIET).imageId();
        assertTrue(first.startsWith(registry.host() + "/repro@sha256:"), first);
        assertEquals(List.of(first), oci.read(List.of(new ContainerRegistry.Lookup(Address.of("container", "app"), registry.host()
                + "/repro", hash, null))).stream().map(i -> i.imageId()).toList(), "found again by its bake tag");
        assertTrue(oci.delete(first));
        assertTrue(oci.read(List.of(new ContainerRegistry.Lookup(Address.of("container", "app"), null, hash, first))).isEmpty(),
                "retired: the registry no longer has it");
        // the layer cache is dropped too, so the second bake builds every layer again
        deleteTree(stack.resolve(".imm"));
        String second = oci.bake(request("repro", hash, ContainerBuild.SCRATCH, null), QUIET).imageId();
        assertEquals(first, second);
    }

    @Test
    void signaturesFollowCosignsLayoutAndATamperedOneIsRefused() throws Exception {
        KeyPair keys = TestKeys.p256();
        String privatePem = TestKeys.privatePem(keys);
        String publicPem = TestKeys.publicPem(keys);
        OciRegistry oci = new OciRegistry(stack);
        String ref = oci.bake(request("signed", "b".repeat(64), ContainerBuild.SCRATCH, new ContainerBuild.SigningKey(privatePem)),
                QUIET).imageId();
        Address app = Address.of("container", "app");
        assertEquals(PolicyCheck.Verdict.PASSED, oci.verifySignature(app, ref, publicPem).verdict());

        String digest = ref.substring(ref.indexOf('@') + 1);
        RegistryClient client = new RegistryClient(new Credentials());
        String payload = new String(client.blob(registry.host(), "signed", "sha256:" + dev.imm.model.BakeInputs.sha256(
                CosignSignatures.payload(registry.host() + "/signed", digest))), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"docker-manifest-digest\":\"" + digest + "\""), payload);
        assertTrue(payload.contains("\"type\":\"cosign container image signature\""), payload);

        // the signature manifest rewritten to sign another image's payload with the same key: it verifies, but not for this image
        String otherDigest = "sha256:" + "c".repeat(64);
        new CosignSignatures(client).sign(registry.host(), "signed", otherDigest, PemKeys.privateKey(privatePem));
        byte[] forged = client.manifest(registry.host(), "signed", CosignSignatures.tag(otherDigest)).orElseThrow().body();
        client.putManifest(registry.host(), "signed", CosignSignatures.tag(digest), RegistryClient.OCI_MANIFEST, forged);
        PolicyCheck tampered = oci.verifySignature(app, ref, publicPem);
        assertEquals(PolicyCheck.Verdict.FAILED, tampered.verdict());
        assertEquals("a signature verifies but signs another image", tampered.detail());

        PolicyCheck notOurs = oci.verifySignature(app, ref, "not a key");
        assertEquals(PolicyCheck.Verdict.FAILED, notOurs.verdict());
        assertTrue(notOurs.detail().contains("not a PEM public key"), notOurs.detail());
    }

    @Test
    void aLayeredImageCarriesItsParentsLayersUnderItsOwn() throws Exception {
        OciRegistry oci = new OciRegistry(stack);
        String base = oci.bake(request("layers/base", "d".repeat(64), ContainerBuild.SCRATCH, null), QUIET).imageId();
        String runtime = oci.bake(request("layers/runtime", "e".repeat(64), base, null), QUIET).imageId();
        String app = oci.bake(request("layers/app", "f".repeat(64), runtime, null), QUIET).imageId();
        assertTrue(app.startsWith(registry.host() + "/layers/app@sha256:"), app);
        RegistryClient client = new RegistryClient(new Credentials());
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(client.manifest(registry.host(), "layers/app",
                app.substring(app.indexOf('@') + 1)).orElseThrow().body());
        assertEquals(3, manifest.path("layers").size(), manifest.toString());
        var runtimeManifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(client.manifest(registry.host(),
                "layers/runtime", runtime.substring(runtime.indexOf('@') + 1)).orElseThrow().body());
        assertEquals(runtimeManifest.path("layers").get(1), manifest.path("layers").get(1), "the runtime's layer, reused as it is");
    }

    private static void deleteTree(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
