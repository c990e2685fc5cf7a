package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.RolloutPolicy;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveState;
import dev.imm.provider.RollResult;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout invariants (DESIGN.md §7) over seeded random scenarios ({@link RolloutScenario}): a fleet
 * is created, its image changes, and it rolls under a random policy with random faults. After each:
 * <ol>
 * <li>healthy capacity is never below min_healthy unless the rollout says why the policy allows it;</li>
 * <li>no instance runs above the policy's max_healthy (blue/green: two full groups);</li>
 * <li>in blue/green, no new instance receives traffic before verify has passed;</li>
 * <li>a rollout that failed and rolled back ends with every instance on the previous image;</li>
 * <li>the state the apply recorded equals the simulated cloud's live state.</li>
 * </ol>
 * Run one scenario again with {@code mvn test -Dtest=RolloutInvariantsTest -Dimm.invariants.seed=N};
 * more of them with {@code -Dimm.invariants.count=N}.
 */
class RolloutInvariantsTest {
    private static final int DEFAULT_COUNT = 1000;

    @TempDir
    Path dir;

    @Test
    void invariantsHoldOverSeededScenarios() {
        SeededScenarios.Outcomes outcomes = SeededScenarios.run("RolloutInvariantsTest", "imm.invariants", DEFAULT_COUNT, dir,
                RolloutInvariantsTest::run);
        assertTrue(outcomes.single() || outcomes.total() >= 1000);
    }

    /** Runs one scenario and checks every invariant; returns how its roll ended. */
    static String run(RolloutScenario scenario, Path dir) throws Exception {
        RolloutHarness harness = new RolloutHarness(dir, scenario.seed());
        harness.apply(scenario.stack(1));
        check(harness.state, harness.live(), "after create");
        harness.apply(scenario.stack(2));
        check(harness.state, harness.live(), "after roll");
        List<RolloutTimeline> timelines = harness.timelines();
        if (timelines.isEmpty()) {
            return harness.lastApply.status();
        }
        RolloutTimeline t = timelines.get(timelines.size() - 1);
        checkTimeline(t);
        harness.provider.close();
        return t.policy.strategy().spelling() + " " + t.result.outcome().name().toLowerCase(java.util.Locale.ROOT);
    }

    static void checkTimeline(RolloutTimeline t) {
        boolean blueGreen = t.policy.strategy() == RolloutPolicy.Strategy.BLUE_GREEN;
        int maxRunning = blueGreen ? 2 * t.sizing.desired() : t.sizing.maxRunning();
        for (RolloutTimeline.Sample s : t.samples) {
            if (s.healthy() < t.sizing.minHealthy()) {
                if (s.allowance() == null) {
                    throw new AssertionError("healthy capacity " + s.healthy() + "/" + t.sizing.desired() + " below min_healthy ("
                            + t.sizing.minHealthy() + ") at " + s.at() + " with nothing to allow it");
                }
                boolean legit = s.allowance().startsWith("on_failure = \"continue\"")
                        ? t.policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE
                        : s.allowance().startsWith("min_healthy") ? t.sizing.forced()
                        : s.allowance().startsWith("the fleet had");
                if (!legit) {
                    throw new AssertionError("below min_healthy with an allowance the policy does not give: " + s.allowance());
                }
            }
            if (s.running() > maxRunning) {
                throw new AssertionError(s.running() + " instances running at " + s.at() + ", above " + maxRunning);
            }
            if (blueGreen && s.servingNew() > 0 && (t.verifyPassedAt == null || s.at() < t.verifyPassedAt)) {
                throw new AssertionError("a new instance received traffic at " + s.at() + " before verify passed ("
                        + t.verifyPassedAt + ")");
            }
        }
        if (t.result.outcome() == RollResult.Outcome.ROLLED_BACK) {
            for (String image : t.imagesAfter) {
                if (!image.equals(t.fromImageId)) {
                    throw new AssertionError("rolled back, but an instance runs " + image + ", not " + t.fromImageId);
                }
            }
        }
    }

    /** The recorded state says exactly what the cloud has: every fleet's group, launch, sizes; every image version. */
    static void check(dev.imm.state.RecordedState state, LiveState live, String when) {
        Map<dev.imm.model.Address, LiveFleet> fleets = new TreeMap<>();
        live.fleets().forEach(f -> {
            if (fleets.put(f.address(), f) != null) {
                throw new AssertionError(when + ": two groups in the cloud for " + f.address());
            }
        });
        if (!fleets.keySet().equals(state.fleets().keySet())) {
            throw new AssertionError(when + ": state has fleets " + state.fleets().keySet() + ", the cloud " + fleets.keySet());
        }
        for (FleetRecord r : state.fleets().values()) {
            LiveFleet f = fleets.get(r.address());
            if (!f.fleetId().equals(r.fleetId()) || !f.launch().equals(r.launch()) || f.desired() != r.desired()
                    || f.min() != r.min() || f.max() != r.max()) {
                throw new AssertionError(when + ": state records " + r + " but the cloud has " + f);
            }
            String outcome = r.lastAttempt() == null ? "succeeded" : r.lastAttempt().outcome();
            if (outcome.equals("succeeded") || outcome.equals("rolled-back")) {
                for (LiveInstance i : f.instances()) {
                    if (!i.imageId().equals(r.launch().imageId())) {
                        throw new AssertionError(when + ": " + i.instanceId() + " runs " + i.imageId() + ", the state says "
                                + r.launch().imageId() + " (" + outcome + ")");
                    }
                }
            }
        }
        for (ImageRecord image : state.images().values()) {
            for (ImageVersion v : image.versions()) {
                if (live.images().stream().noneMatch(i -> i.imageId().equals(v.imageId()))) {
                    throw new AssertionError(when + ": state records " + v.imageId() + " that the cloud does not have");
                }
            }
        }
    }
}
