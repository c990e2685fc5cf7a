package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.state.RecordedState;
import dev.imm.state.git.GitStateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during an apply, for real: a child JVM gets SIGINT part-way through. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class InterruptTest {
    private static final int FLEETS = 1000;

    @TempDir
    Path temp;

    private Path stack() throws IOException {
        Path dir = temp.resolve("many");
        Files.createDirectories(dir);
        StringBuilder s = new StringBuilder("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n}\n");
        for (int i = 0; i < FLEETS; i++) {
            s.append("\nfleet \"f").append(i).append("\" {\n  image         = image.app\n  instance_type = \"t3.small\"\n")
                    .append("  min           = 1\n  max           = 1\n}\n");
        }
        Files.writeString(dir.resolve("main.imm"), s.toString());
        return dir;
    }

    private static Process imm(Path stack) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main",
                "apply", stack.toString(), "--auto-approve", "--no-color").redirectErrorStream(true).start();
    }

    @Test
    void ctrlCRecordsWhatExistsReleasesTheLockAndExits130() throws Exception {
        Path stack = stack();
        Process apply = imm(stack);
        BufferedReader out = new BufferedReader(new InputStreamReader(apply.getInputStream(), StandardCharsets.UTF_8));
        int created = 0;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.contains(": done:") && line.startsWith("fleet.")) {
                created++;
            }
            if (created == 10) {
                new ProcessBuilder("kill", "-INT", String.valueOf(apply.pid())).start().waitFor();
                break;
            }
        }
        out.transferTo(java.io.Writer.nullWriter());
        assertTrue(apply.waitFor(60, TimeUnit.SECONDS), "the apply ended");
        assertEquals(130, apply.exitValue());

        try (GitStateStore store = new GitStateStore(stack.resolve(".imm/state.git"), "main", null)) {
            RecordedState state = store.read(store.head().orElseThrow());
            int recorded = state.fleets().size();
            assertTrue(recorded >= 10 && recorded < FLEETS, "the state holds the fleets created before the interrupt: " + recorded);
            assertEquals(1, state.images().size());
            assertTrue(store.currentLock().isEmpty(), "the lock was released");
            assertEquals("failed", store.history(java.util.Optional.empty(), 1).get(0).trailers().get("Imm-Status"));
        }

        Process rerun = imm(stack);
        List<String> lines = new BufferedReader(new InputStreamReader(rerun.getInputStream(), StandardCharsets.UTF_8)).lines().toList();
        assertTrue(rerun.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, rerun.exitValue(), String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(l -> l.contains("baking")), "the image is not baked again");
        try (GitStateStore store = new GitStateStore(stack.resolve(".imm/state.git"), "main", null)) {
            assertEquals(FLEETS, store.read(store.head().orElseThrow()).fleets().size());
        }
    }
}
