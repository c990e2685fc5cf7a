package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of an apply while it rolls fleets, at seeded random points: after breaking the
 * abandoned lock, running the apply again finishes the rolls, and the plan after it has no changes
 * (the state and the cloud agree, whichever of the two had saved more when the process died).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class KillTest {
    private static final int FLEETS = 60;

    @TempDir
    Path temp;

    private static String stack(int version) {
        StringBuilder s = new StringBuilder("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n")
                .append("  provision \"shell\" { inline = [\"install v").append(version).append("\"] }\n}\n");
        for (int i = 0; i < FLEETS; i++) {
            s.append("\nfleet \"f").append(i).append("\" {\n  image         = image.app\n  instance_type = \"t3.small\"\n")
                    .append("  min           = 1\n  max           = 4\n  desired       = 3\n}\n");
        }
        return s.toString();
    }

    @Test
    void anApplyKilledWhileRollingFinishesWhenRunAgain() throws Exception {
        Random random = new Random(5);
        for (int round = 0; round < 3; round++) {
            Path dir = temp.resolve("kill" + round);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("main.imm"), stack(1));
            assertEquals(ExitCode.OK, CliRun.of("apply", dir.toString(), "--auto-approve").exitCode());
            Files.writeString(dir.resolve("main.imm"), stack(2));

            int killAfter = 1 + random.nextInt(FLEETS - 10);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process apply = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main", "apply",
                    dir.toString(), "--auto-approve", "--no-color").redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(apply.getInputStream(), StandardCharsets.UTF_8));
            int rolled = 0;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("fleet.") && line.contains(": done: rolled") && ++rolled == killAfter) {
                    apply.destroyForcibly();
                    break;
                }
            }
            assertTrue(apply.waitFor(60, TimeUnit.SECONDS));
            assertTrue(rolled == killAfter, "killed after " + killAfter + " rolls (saw " + rolled + ")");

            assertEquals(ExitCode.OK, CliRun.of("unlock", dir.toString(), "--force").exitCode());
            CliRun again = CliRun.of("apply", dir.toString(), "--auto-approve");
            assertEquals(ExitCode.OK, again.exitCode(), again.out() + again.err());
            CliRun plan = CliRun.of("plan", dir.toString(), "--detailed-exitcode");
            assertEquals(ExitCode.OK, plan.exitCode(), "killed after " + killAfter + " rolls, then applied again:\n" + plan.out());
            assertTrue(plan.out().startsWith("No changes."), plan.out());
        }
    }
}
