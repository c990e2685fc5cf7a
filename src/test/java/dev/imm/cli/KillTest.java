package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.state.git.GitStateStore;
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
 * (the state and the cloud agree, whichever of the two had saved more when the process died). And an
 * apply halted inside a rollout ({@code IMM_SIM_CRASH_AT}, at a seeded random checkpoint): the next plan
 * finds the roll under way from its journaled handle, and carries it on or turns it back.
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

    private static String threeStrategies(int version) {
        return "image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n"
                + "  provision \"shell\" { inline = [\"install v" + version + "\"] }\n}\n\n"
                + "rollout \"rolling\" {\n  strategy = \"rolling\"\n  min_healthy = 50%\n  max_healthy = 125%\n  warmup = 1m\n}\n\n"
                + "rollout \"canary\" {\n  strategy = \"canary\"\n  steps = [25%, 100%]\n  pause = 5m\n  min_healthy = 75%\n"
                + "  max_healthy = 100%\n}\n\n"
                + "rollout \"bg\" {\n  strategy = \"blue_green\"\n  verify = 2m\n  drain = 5m\n}\n\n"
                + fleet("api", "rolling", 4) + fleet("web", "canary", 4) + fleet("admin", "bg", 2);
    }

    private static String fleet(String name, String rollout, int desired) {
        return "fleet \"" + name + "\" {\n  image = image.app\n  instance_type = \"t3.small\"\n  min = 1\n  max = 8\n"
                + "  desired = " + desired + "\n  rollout = rollout." + rollout + "\n"
                + "  target_groups = [\"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/" + name + "/1\"]\n}\n\n";
    }

    @Test
    void anApplyHaltedInsideARolloutIsCarriedOnOrTurnedBackByTheNextApply() throws Exception {
        Random random = new Random(8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int round = 0; round < 5; round++) {
            Path dir = temp.resolve("halt" + round);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("main.imm"), threeStrategies(1));
            assertEquals(ExitCode.OK, CliRun.of("apply", dir.toString(), "--auto-approve").exitCode());
            String applied;
            try (GitStateStore store = new GitStateStore(dir.resolve(".imm/state.git"), "main", null)) {
                applied = store.head().orElseThrow().id();
            }
            Files.writeString(dir.resolve("main.imm"), threeStrategies(2));

            // the three rolls pass at least 10 checkpoints (blue/green 3, canary 6, rolling 1 or more)
            int checkpoint = 1 + random.nextInt(10);
            ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main",
                    "apply", dir.toString(), "--auto-approve", "--no-color").redirectErrorStream(true);
            builder.environment().put("IMM_SIM_CRASH_AT", String.valueOf(checkpoint));
            Process apply = builder.start();
            String output = new String(apply.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(apply.waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, apply.exitValue(), output);
            assertTrue(output.contains("halting at rollout checkpoint " + checkpoint), output);

            assertEquals(ExitCode.OK, CliRun.of("unlock", dir.toString(), "--force").exitCode());
            if (round == 4) {
                // imm rollback turns the roll under way back too, then rolls to the revision's images
                CliRun back = CliRun.of("rollback", dir.toString(), "-r", applied, "--auto-approve", "--no-color");
                assertEquals(ExitCode.OK, back.exitCode(), back.out() + back.err());
                assertTrue(back.out().contains("roll-back-interrupted "), back.out());
                Files.writeString(dir.resolve("main.imm"), threeStrategies(1));
                CliRun after = CliRun.of("plan", dir.toString(), "--detailed-exitcode");
                assertEquals(ExitCode.OK, after.exitCode(), "halted at checkpoint " + checkpoint + ", rolled back:\n" + after.out());
                continue;
            }
            boolean carryOn = round % 2 == 0;
            Files.writeString(dir.resolve("main.imm"), threeStrategies(carryOn ? 2 : 1));
            CliRun plan = CliRun.of("plan", dir.toString(), "--no-color");
            String decision = carryOn ? "resume-roll " : "roll-back-interrupted ";
            assertTrue(plan.out().contains(decision), "halted at checkpoint " + checkpoint + ":\n" + plan.out());
            assertTrue(plan.out().matches("(?s).*was under way when apply [0-9a-f]{12} stopped.*"), plan.out());

            CliRun again = CliRun.of("apply", dir.toString(), "--auto-approve", "--no-color");
            assertEquals(ExitCode.OK, again.exitCode(), again.out() + again.err());
            assertTrue(again.out().contains(carryOn ? "carried on the interrupted roll" : "rolled back the interrupted roll"),
                    again.out());
            CliRun after = CliRun.of("plan", dir.toString(), "--detailed-exitcode");
            assertEquals(ExitCode.OK, after.exitCode(), "halted at checkpoint " + checkpoint + ", then applied:\n" + after.out());
            String cloud = Files.readString(dir.resolve(".imm/sim/cloud.json"));
            assertFalse(cloud.contains("\"in-progress\""), "no roll is left under way");
        }
    }
}
