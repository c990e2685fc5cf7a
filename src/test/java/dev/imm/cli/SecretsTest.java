package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sensitive values stay secret everywhere imm writes: three canaries, given through {@code -var}, a
 * var-file and the environment, flow into a provisioning step's environment, a fleet's user data and a
 * sensitive output. After plans in every format (and a saved plan), an apply, a failed apply, history,
 * show, state and the console, no canary is in any line of output, in any file under {@code .imm/}, or
 * in any object of the state repository (read decompressed, through {@code git cat-file}).
 */
class SecretsTest {
    private static final String BY_VAR = "canary-by-var-5c1f0e";
    private static final String BY_FILE = "canary-by-file-9b27d4";
    private static final String BY_ENV = "canary-by-env-e83a61";
    private static final List<String> CANARIES = List.of(BY_VAR, BY_FILE, BY_ENV);

    @TempDir
    Path dir;

    private final List<String> printed = new ArrayList<>();

    private CliRun run(Map<String, String> env, String... args) {
        CliRun run = CliRun.withEnv(env, args);
        printed.add("imm " + args[0] + ":\n" + run.out() + run.err()); // not the arguments: they hold the canaries
        return run;
    }

    @Test
    void noSensitiveValueLandsInOutputStateOrHistory() throws IOException, InterruptedException {
        Path stack = dir.resolve("shop");
        Files.createDirectories(stack);
        Files.writeString(stack.resolve("main.imm"), """
                variable "token"   { sensitive = true }
                variable "db_pass" { sensitive = true }
                variable "api_key" { sensitive = true }
                variable "fail"    { default = false }

                provider "sim" {
                  seed = 1
                }

                image "app" {
                  source { id = "ami-0123456789abcdef0" }
                  provision "shell" {
                    inline = ["deploy --token \\"$TOKEN\\""]
                    env    = { TOKEN = var.token, KEY = var.api_key }
                  }
                }

                fleet "web" {
                  image         = image.app
                  instance_type = "t3.small"
                  min           = 1
                  max           = 2
                  desired       = 1
                  user_data     = "#!/bin/sh\\necho ${var.db_pass} > /etc/db\\n"
                }

                output "db_pass" {
                  value     = var.db_pass
                  sensitive = true
                }
                """);
        Path varFile = dir.resolve("secrets.json");
        Files.writeString(varFile, "{\"db_pass\": \"" + BY_FILE + "\"}");
        Map<String, String> env = Map.of("IMM_VAR_api_key", BY_ENV);
        String[] vars = {"-var", "token=" + BY_VAR, "-var-file", varFile.toString()};

        for (String format : List.of("text", "markdown", "json")) {
            assertEquals(0, run(env, concat(new String[] {"plan", stack.toString(), "--format", format}, vars)).exitCode());
        }
        Path saved = dir.resolve("shop.plan");
        assertEquals(0, run(env, concat(new String[] {"plan", stack.toString(), "-out", saved.toString()}, vars)).exitCode());
        assertEquals(0, run(env, concat(new String[] {"apply", stack.toString(), "--auto-approve"}, vars)).exitCode());
        Files.writeString(stack.resolve("main.imm"), Files.readString(stack.resolve("main.imm"))
                .replace("deploy --token", "deploy --again --token")
                .replace("  seed = 1\n", "  seed = 1\n  fault \"bake_fails\" {\n    image = image.app\n  }\n"));
        CliRun failed = run(env, concat(new String[] {"apply", stack.toString(), "--auto-approve"}, vars));
        assertEquals(1, failed.exitCode(), failed.out() + failed.err());
        run(env, "history", stack.toString());
        run(env, "show", stack.toString());
        run(env, "state", "list", stack.toString());
        run(env, "state", "show", "fleet.web", stack.toString());
        run(env, "state", "show", "image.app", stack.toString());
        CliRun console = CliRun.withInput("var.token\nvar.db_pass\nupper(var.api_key)\n",
                concat(new String[] {"console", stack.toString()}, vars));
        printed.add(console.out() + console.err());
        assertTrue(console.out().contains("(sensitive)"), console.out());

        for (String output : printed) {
            for (String canary : CANARIES) {
                assertTrue(!output.contains(canary), "printed " + canary + ":\n" + output);
            }
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(stack.resolve(".imm"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        files.add(saved);
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String canary : CANARIES) {
                assertTrue(!content.contains(canary), file + " holds " + canary);
            }
        }
        String objects = gitObjects(stack.resolve(".imm/state.git"));
        assertTrue(objects.length() > 1000, "the state repository was read: " + objects.length() + " bytes");
        for (String canary : CANARIES) {
            assertTrue(!objects.contains(canary), "a Git object of the state holds " + canary);
        }
    }

    /** Every object of the repository, decompressed (commits, trees, blobs), as one text. */
    private static String gitObjects(Path gitDir) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "--git-dir", gitDir.toString(), "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String all = new String(git.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertTrue(git.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, git.exitValue(), all);
        return all;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
