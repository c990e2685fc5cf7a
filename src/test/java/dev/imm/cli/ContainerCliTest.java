package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.testing.LocalRegistry;
import dev.imm.testing.TestKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container images end to end, as a user runs them, against a real registry on 127.0.0.1: a layered
 * base → runtime → app, signed and scanned, deployed by digest to a fleet of the simulated cloud, changed,
 * rolled back; and the refusals (a base by tag, latest, an unsigned or tampered image, a failed or missing
 * scanner).
 */
class ContainerCliTest {
    @RegisterExtension
    static final LocalRegistry.PerClass registry = new LocalRegistry.PerClass();
    static KeyPair keys;

    @TempDir
    Path temp;

    @BeforeAll
    static void keys() throws Exception {
        keys = TestKeys.p256();
    }

    private Map<String, String> env() {
        return Map.of("IMM_VAR_signing_key", TestKeys.privatePem(keys));
    }

    /** A stack of three layered containers and a fleet that runs the app by digest. */
    private Path stack(String repo, String policy) throws IOException {
        Path dir = temp.resolve("stack");
        Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.createDirectories(dir.resolve("app/static"));
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("rootfs/etc/os-release"), "NAME=imm-test\n");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\nexec /srv/app/serve\n");
        Files.writeString(dir.resolve("app/index.html"), "<h1>v1</h1>\n");
        Files.writeString(dir.resolve("app/static/site.css"), "body { color: black }\n");
        Files.writeString(dir.resolve("keys/cosign.pub"), TestKeys.publicPem(keys));
        Files.writeString(dir.resolve("main.imm"), """
                variable "signing_key" {
                  type      = string
                  sensitive = true
                }

                container "base" {
                  from    = "scratch"
                  push_to = "%1$s/%2$s/base"
                  layer "os" {
                    copy {
                      source = "rootfs"
                      target = "/"
                    }
                  }
                }

                container "runtime" {
                  from    = container.base
                  push_to = "%1$s/%2$s/runtime"
                  layer "runtime" {
                    copy {
                      source = "run.sh"
                      target = "/usr/local/bin/run"
                      mode   = "0755"
                    }
                  }
                }

                container "app" {
                  from       = container.runtime
                  push_to    = "%1$s/%2$s/app"
                  env        = { PORT = "8080" }
                  entrypoint = ["/usr/local/bin/run"]
                  user       = "1000"
                  workdir    = "/srv/app"
                  keep       = 3
                  sign_key   = var.signing_key
                  layer "app" {
                    copy {
                      source = "app"
                      target = "/srv/app"
                      owner  = "1000:1000"
                    }
                  }
                  %3$s
                }

                image "host" {
                  source {
                    name_filter = "al2023-ami-2023.*-x86_64"
                    owners      = ["amazon"]
                  }
                  provision "shell" {
                    inline = ["dnf install -y docker"]
                  }
                }

                fleet "api" {
                  image         = image.host
                  instance_type = "t3.small"
                  min           = 2
                  max           = 4
                  user_data     = "docker run --rm ${container.app.ref}"
                }
                """.formatted(registry.host(), repo, policy));
        return dir;
    }

    private CliRun run(String... args) {
        return CliRun.withEnv(env(), args);
    }

    private static JsonNode record(Path stack, String address) throws IOException {
        CliRun show = CliRun.of("state", "show", address, stack.toString());
        assertEquals(0, show.exitCode(), show.err());
        return new ObjectMapper().readTree(show.out());
    }

    private static int status(String url, String method) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void layeredContainersBakeSignDeployByDigestRebakeOnlyWhatChangedAndRollBack() throws Exception {
        Path stack = stack("shop", """
                policy {
                    require_signature = true
                    public_key        = file("keys/cosign.pub")
                  }""");
        CliRun first = run("apply", stack.toString(), "--auto-approve", "--no-color");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        String appRef = ref(stack, "container.app");
        assertTrue(appRef.startsWith(registry.host() + "/shop/app@sha256:"), appRef);
        String digest = appRef.substring(appRef.indexOf('@') + 1);
        assertEquals(200, status("http://" + registry.host() + "/v2/shop/app/manifests/" + digest, "HEAD"));
        assertEquals(200, status("http://" + registry.host() + "/v2/shop/app/manifests/" + digest.replace(':', '-') + ".sig", "HEAD"),
                "the signature is stored beside the image");
        assertFalse((first.out() + first.err()).contains("BEGIN PRIVATE KEY"), "the key never shows");

        CliRun quiet = run("plan", stack.toString(), "--detailed-exitcode", "--no-color");
        assertEquals(0, quiet.exitCode(), quiet.out() + quiet.err());
        assertTrue(quiet.out().contains("signature  passed"), quiet.out());

        Files.writeString(stack.resolve("app/index.html"), "<h1>v2</h1>\n");
        CliRun changed = run("plan", stack.toString(), "--no-color");
        assertTrue(changed.out().contains("container.app will be baked"), changed.out());
        assertTrue(changed.out().contains("because file-changed /srv/app/index.html"), changed.out());
        assertFalse(changed.out().contains("container.runtime will be baked"), changed.out());
        assertFalse(changed.out().contains("container.base will be baked"), changed.out());
        assertTrue(changed.out().contains("fleet.api will roll"), changed.out());
        assertTrue(changed.out().contains("signature  pending"), changed.out());

        CliRun second = run("apply", stack.toString(), "--auto-approve", "--no-color");
        assertEquals(0, second.exitCode(), second.out() + second.err());
        String newRef = ref(stack, "container.app");
        assertNotEquals(appRef, newRef);
        String rolledUserData = fleetUserData(stack);

        CliRun back = run("rollback", stack.toString(), "--auto-approve", "--no-color");
        assertEquals(0, back.exitCode(), back.out() + back.err());
        assertTrue(back.out().contains("fleet.api"), back.out());
        assertNotEquals(rolledUserData, fleetUserData(stack), "the fleet runs the old digest again");
        assertEquals(dev.imm.model.BakeInputs.sha256("docker run --rm " + appRef), fleetUserData(stack));
        assertEquals(newRef, ref(stack, "container.app"), "nothing was baked or retired: the new image is kept");
    }

    @Test
    void theExampleRunsAsItsReadmeSays() throws Exception {
        Path stack = dev.imm.testing.TestStacks.copyExample("containers", temp, "containers");
        Files.writeString(stack.resolve("keys/cosign.pub"), TestKeys.publicPem(keys));
        String registryVar = "registry=" + registry.host();
        CliRun apply = run("apply", stack.toString(), "--auto-approve", "--no-color", "-var", registryVar);
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.out().contains("scan passed: scanned " + registry.host() + "/imm-demo/app@sha256:"), apply.out());
        Files.writeString(stack.resolve("app/index.html"), "<h1>v2</h1>\n");
        CliRun plan = run("plan", stack.toString(), "--no-color", "-var", registryVar);
        assertEquals(0, plan.exitCode(), plan.out() + plan.err());
        assertTrue(plan.out().contains("Plan: 1 to bake, 1 to roll (3 instances)"), plan.out());
        assertTrue(plan.out().contains("container.app will be baked"), plan.out());
    }

    @Test
    void refreshAndDriftReadContainerImagesFromTheRegistry() throws Exception {
        Path stack = stack("refreshed", "");
        assertEquals(0, run("apply", stack.toString(), "--auto-approve").exitCode());
        String ref = ref(stack, "container.app");
        CliRun drift = run("drift", stack.toString(), "--no-color");
        assertEquals(ExitCode.OK, drift.exitCode(), drift.out() + drift.err());
        CliRun refresh = run("refresh", stack.toString(), "--no-color");
        assertEquals(ExitCode.OK, refresh.exitCode(), refresh.out() + refresh.err());
        assertEquals(ref, ref(stack, "container.app"), "the registry still has it, so the state keeps it");

        String digest = ref.substring(ref.indexOf('@') + 1);
        assertEquals(202, status("http://" + registry.host() + "/v2/refreshed/app/manifests/" + digest, "DELETE"));
        CliRun gone = run("drift", stack.toString(), "--no-color");
        assertEquals(ExitCode.CHANGES, gone.exitCode(), gone.out() + gone.err());
        assertTrue(gone.out().contains("container.app"), gone.out());
    }

    @Test
    void anUnsignedOrTamperedImageStopsThePlanAndNoFleetRollsToIt() throws Exception {
        String policy = """
                policy {
                    require_signature = true
                    public_key        = file("keys/cosign.pub")
                  }""";
        Path stack = stack("signed", policy);
        assertEquals(0, run("apply", stack.toString(), "--auto-approve").exitCode());
        String ref = ref(stack, "container.app");
        String digest = ref.substring(ref.indexOf('@') + 1);

        // another key's signature in place of ours: the registry holds a signature, but not one of our key
        KeyPair other = TestKeys.p256();
        Files.writeString(stack.resolve("keys/cosign.pub"), TestKeys.publicPem(other));
        CliRun tampered = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, tampered.exitCode(), tampered.out());
        assertTrue(tampered.out().contains("container.app fails its policy: signature: a signature does not verify"), tampered.out());

        // the manifest of signatures deleted: unsigned
        Files.writeString(stack.resolve("keys/cosign.pub"), TestKeys.publicPem(keys));
        String sigTag = digest.replace(':', '-') + ".sig";
        HttpResponse<Void> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                + "/v2/signed/app/manifests/" + sigTag)).header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        String sigDigest = head.headers().firstValue("Docker-Content-Digest").orElseThrow();
        assertEquals(202, status("http://" + registry.host() + "/v2/signed/app/manifests/" + sigDigest, "DELETE"));
        CliRun unsigned = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, unsigned.exitCode(), unsigned.out());
        assertTrue(unsigned.out().contains("signature: unsigned"), unsigned.out());

        // a new bake without a key: baked and recorded, but the fleet does not roll to it
        Files.writeString(stack.resolve("main.imm"), Files.readString(stack.resolve("main.imm"))
                .replace("sign_key   = var.signing_key", ""));
        Files.writeString(stack.resolve("app/index.html"), "<h1>unsigned</h1>\n");
        String userData = fleetUserData(stack);
        CliRun apply = run("apply", stack.toString(), "--auto-approve", "--no-color");
        assertEquals(ExitCode.ERRORS, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.out().contains("fails its policy"), apply.out());
        assertNotEquals(ref, ref(stack, "container.app"), "the image exists and the state says so");
        assertEquals(userData, fleetUserData(stack), "the fleet still runs the signed image");
    }

    @Test
    void theScanGatePassesFailsAndFailsClosedWhenTheScannerIsMissing() throws Exception {
        Path stack = stack("scanned", """
                policy {
                    scan = "./scanner.sh {ref}"
                  }""");
        Path scanner = stack.resolve("scanner.sh");
        Files.writeString(scanner, "#!/bin/sh\necho \"scanning $1\"\necho \"0 critical, 2 low\"\n");
        scanner.toFile().setExecutable(true);
        CliRun apply = run("apply", stack.toString(), "--auto-approve", "--no-color");
        assertEquals(0, apply.exitCode(), apply.out() + apply.err());
        CliRun pass = run("plan", stack.toString(), "--format", "markdown");
        assertTrue(pass.out().contains("| `container.app` | scan | ✅ passed | 0 critical, 2 low |"), pass.out());

        Files.writeString(scanner, "#!/bin/sh\necho \"1 critical: CVE-2026-0001\"\nexit 1\n");
        CliRun fail = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, fail.exitCode(), fail.out());
        assertTrue(fail.out().contains("scan: ./scanner.sh exited with status 1: 1 critical: CVE-2026-0001"), fail.out());

        Files.delete(scanner);
        CliRun missing = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, missing.exitCode(), missing.out());
        assertTrue(missing.out().contains("the scanner \"./scanner.sh\" is not installed or cannot run"), missing.out());
    }

    @Test
    void aBaseByTagIsRefusedWithTheDigestToPinAndLatestNever() throws Exception {
        Path stack = stack("tags", "");
        assertEquals(0, run("apply", stack.toString(), "--auto-approve", "--target", "container.base").exitCode());
        String base = ref(stack, "container.base");
        // tag the base as v1, as a registry user would
        String digest = base.substring(base.indexOf('@') + 1);
        HttpResponse<byte[]> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                + "/v2/tags/base/manifests/" + digest)).header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<Void> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry.host()
                + "/v2/tags/base/manifests/v1")).header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.body())).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(201, put.statusCode());
        String main = Files.readString(stack.resolve("main.imm"));
        String tagged = main.replace("from    = container.base", "from    = \"" + registry.host() + "/tags/base:v1\"");
        Files.writeString(stack.resolve("main.imm"), tagged);
        CliRun refused = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, refused.exitCode());
        assertTrue(refused.err().contains("names a tag, not a digest"), refused.err());
        assertTrue(refused.err().contains("pin it: from = \"" + base + "\""), refused.err());
        CliRun validate = run("validate", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, validate.exitCode());

        Files.writeString(stack.resolve("main.imm"), tagged.replace("push_to = \"" + registry.host() + "/tags/runtime\"",
                "push_to = \"" + registry.host() + "/tags/runtime\"\n  allow_tag = true"));
        CliRun flagged = run("plan", stack.toString(), "--no-color");
        assertEquals(0, flagged.exitCode(), flagged.out() + flagged.err());
        assertTrue(flagged.out().contains("container.runtime  pinned  flagged  from follows the tag"), flagged.out());

        Files.writeString(stack.resolve("main.imm"), tagged.replace("/tags/base:v1", "/tags/base:latest")
                .replace("push_to = \"" + registry.host() + "/tags/runtime\"",
                        "push_to = \"" + registry.host() + "/tags/runtime\"\n  allow_tag = true"));
        CliRun latest = run("plan", stack.toString(), "--no-color");
        assertEquals(ExitCode.ERRORS, latest.exitCode());
        assertTrue(latest.err().contains("starts from \"latest\", which is never allowed"), latest.err());
    }

    private static String ref(Path stack, String address) throws IOException {
        JsonNode versions = record(stack, address).path("versions");
        return versions.get(versions.size() - 1).path("image_id").asText();
    }

    private static String fleetUserData(Path stack) throws IOException {
        return record(stack, "fleet.api").path("launch").path("user_data_sha256").asText();
    }
}
