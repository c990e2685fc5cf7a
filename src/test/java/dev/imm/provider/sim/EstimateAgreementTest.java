package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.plan.Action;
import dev.imm.plan.ResourceChange;
import dev.imm.plan.RollEstimate;
import dev.imm.provider.RollResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan's estimate of a roll against what the simulated cloud then does, over generated policies of
 * every strategy with no fault: the lowest and highest healthy capacity must be exactly those the
 * rollout had, the duration within 10% (the estimator counts batches; the simulator runs instances).
 */
class EstimateAgreementTest {
    private static final int POLICIES = 200;

    @TempDir
    Path dir;

    @Test
    void estimatesAgreeWithTheSimulatedRollouts() throws Exception {
        Map<String, Integer> strategies = new TreeMap<>();
        double worst = 0;
        for (long n = 1; n <= POLICIES; n++) {
            long seed = n;
            RolloutScenario scenario = RolloutScenario.draw(seed).withoutFaults();
            RolloutHarness harness = new RolloutHarness(dir.resolve("s" + seed), seed);
            harness.apply(scenario.stack(1));
            harness.apply(scenario.stack(2));
            ResourceChange roll = harness.lastPlan.changes().stream().filter(c -> c.action() == Action.ROLL).findFirst()
                    .orElseThrow(() -> new AssertionError("seed " + seed + ": no roll planned"));
            RollEstimate estimate = roll.estimate();
            assertNotNull(estimate, "seed " + seed);
            List<RolloutTimeline> timelines = harness.timelines();
            RollResult actual = timelines.get(timelines.size() - 1).result;
            String what = "seed " + seed + " (" + scenario.strategy() + ", " + scenario.desired() + " instances): estimated "
                    + estimate + ", simulated " + actual + "\n" + scenario.stack(2);
            assertEquals(RollResult.Outcome.SUCCEEDED, actual.outcome(), what);
            assertEquals(0, estimate.lowestHealthy().compareTo(actual.lowestHealthy()), what);
            assertEquals(0, estimate.highestHealthy().compareTo(actual.highestHealthy()), what);
            assertEquals(estimate.instances(), actual.replaced(), what);
            double off = estimate.durationMillis() == 0 ? actual.durationMillis()
                    : Math.abs(actual.durationMillis() - estimate.durationMillis()) / (double) estimate.durationMillis();
            assertTrue(off <= 0.10, what);
            worst = Math.max(worst, off);
            strategies.merge(scenario.strategy(), 1, Integer::sum);
            harness.provider.close();
        }
        System.out.printf("estimates vs simulator: %d policies %s, worst duration difference %.1f%%%n", POLICIES, strategies,
                worst * 100);
        assertTrue(strategies.size() == 3 && strategies.values().stream().allMatch(n -> n >= 20), strategies.toString());
    }
}
