package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.testing.TestStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts as a user meets them on the showcase stack: estimates in the plan, a rehearsal, a roll onto
 * an image declared unhealthy that rolls back by itself, and what history and the next plan say then.
 */
class RolloutCliTest {
    @TempDir
    Path temp;

    private static void injectFault(Path stack, String fault) throws IOException {
        Path main = stack.resolve("main.imm");
        String text = Files.readString(main);
        assertTrue(text.contains("provider \"sim\" {}"), "the showcase declares the simulated cloud");
        Files.writeString(main, text.replace("provider \"sim\" {}", "provider \"sim\" {\n  " + fault + "\n}"));
    }

    @Test
    void aRollOntoAnUnhealthyImageRollsBackAndHistoryAndThePlanSaySo() throws IOException {
        Path stack = TestStacks.copyExample("showcase", temp, "shop");
        assertEquals(ExitCode.OK, CliRun.of("apply", stack.toString(), "--auto-approve").exitCode());

        CliRun plan = CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0");
        assertEquals(ExitCode.OK, plan.exitCode(), plan.err());
        assertTrue(plan.out().contains("<> fleet.web will roll"), plan.out());
        assertTrue(plan.out().contains("replaces 4 instances in 4 batches, about 42m; healthy capacity stays between 100% and 125%"),
                plan.out());
        assertTrue(plan.out().contains("replaces 2 instances in 1 batch, about 23m30s; healthy capacity stays between 100% and 200%"),
                "the blue/green fleet: " + plan.out());

        injectFault(stack, "fault \"unhealthy\" { image = image.app }");
        CliRun rehearsal = CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0", "--rehearse");
        assertEquals(ExitCode.OK, rehearsal.exitCode(), rehearsal.err());
        assertTrue(rehearsal.out().contains("Rehearsal rolled-back"), rehearsal.out());
        assertTrue(rehearsal.out().contains("(injected unhealthy)"), rehearsal.out());
        assertTrue(CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0").out().contains("1 to bake"),
                "the rehearsal changed nothing: the image still has to be baked");

        CliRun apply = CliRun.of("apply", stack.toString(), "-var", "app_version=1.5.0", "--auto-approve");
        assertEquals(ExitCode.ERRORS, apply.exitCode(), "a rolled-back apply did not reach the declared state");
        assertTrue(apply.out().contains("rolled back"), apply.out());
        assertTrue(apply.out().contains("rolled-back"), apply.out());

        CliRun history = CliRun.of("history", stack.toString());
        String newest = history.out().lines().findFirst().orElseThrow();
        assertTrue(newest.contains("rolled-back"), history.out());
        assertTrue(history.out().contains("why: fleet.admin: instance "), history.out());
        assertTrue(history.out().contains("fleet.web: instance ") && history.out().contains("failed its elb health check")
                && history.out().contains("(injected unhealthy)"), history.out());

        CliRun next = CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0");
        assertTrue(next.out().contains("because last-attempt-rolled-back fleet.web: the last roll to ami-"), next.out());
        assertTrue(next.out().contains("0 to bake"), "the image is baked; only the rolls remain: " + next.out());

        CliRun state = CliRun.of("state", "show", "fleet.web", stack.toString());
        assertTrue(state.out().contains("rolled-back"), state.out());

        // without the fault the same change goes through, and the failed attempt is forgotten
        Files.writeString(stack.resolve("main.imm"), Files.readString(stack.resolve("main.imm"))
                .replace("fault \"unhealthy\" { image = image.app }", ""));
        assertEquals(ExitCode.OK, CliRun.of("apply", stack.toString(), "-var", "app_version=1.5.0", "--auto-approve").exitCode());
        CliRun clean = CliRun.of("plan", stack.toString(), "-var", "app_version=1.5.0");
        assertTrue(clean.out().startsWith("No changes."), clean.out());
        assertFalse(CliRun.of("state", "show", "fleet.web", stack.toString()).out().contains("rolled-back"));
    }

    @Test
    void transientApiErrorsAreRetriedAndAWatchedAlarmRollsTheCanaryBack() throws IOException {
        Path stack = TestStacks.copyExample("showcase", temp, "shop");
        injectFault(stack, "fault \"api_errors\" { rate = 30%  seed = 7 }\n  fault \"alarm\" { name = \"shop-5xx-rate\"  at = 50% }");
        CliRun first = CliRun.of("apply", stack.toString(), "--auto-approve");
        assertEquals(ExitCode.OK, first.exitCode(), first.out() + first.err());
        CliRun roll = CliRun.of("apply", stack.toString(), "-var", "app_version=1.5.0", "--auto-approve");
        assertTrue(roll.out().contains("alarm \"shop-5xx-rate\" fired at 2 of 4 instances replaced"), roll.out());
        assertTrue(roll.out().contains("fleet.web: rolled back"), roll.out());
        assertTrue(roll.out().contains("this rollout does not watch it"), "the workers' policy has no alarm: " + roll.out());
    }
}
