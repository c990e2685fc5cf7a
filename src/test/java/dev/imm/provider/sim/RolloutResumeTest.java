package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.apply.ApplyResult;
import dev.imm.plan.Action;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.ResourceChange;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume after a crash inside a rollout, over seeded random scenarios ({@link RolloutScenario}): the
 * fleet is created, its image changes, and the apply crashes at a random rollout checkpoint (the cloud
 * keeps what it did, the state what was committed: the roll's start with its handle, and completed
 * steps at random, as the engine commits at most once a second on the simulated cloud). Then the next
 * plan must find the roll under way and either carry it on (the configuration still wants its image)
 * or turn it back (the configuration went back to the old image, or on to a third one), and its apply
 * must leave:
 * <ol>
 * <li>no roll under way, and one group per fleet;</li>
 * <li>the state equal to the cloud ({@link RolloutInvariantsTest#check});</li>
 * <li>every rollout timeline, the resumed ones too, within the rollout invariants;</li>
 * <li>a plan with no changes, unless the roll did not succeed (a fault), when the plan says why;</li>
 * <li>when carried on, the same outcome, with instances on the same images, as the roll had in a run
 *     without the crash.</li>
 * </ol>
 * Run one scenario again with {@code mvn test -Dtest=RolloutResumeTest -Dimm.resume.seed=N}; more with
 * {@code -Dimm.resume.count=N}.
 */
class RolloutResumeTest {
    private static final int DEFAULT_COUNT = 300;

    @TempDir
    Path dir;

    @Test
    void aRolloutCrashedAtAnyCheckpointIsCarriedOnOrTurnedBack() {
        SeededScenarios.Outcomes result = SeededScenarios.run("RolloutResumeTest", "imm.resume", DEFAULT_COUNT, dir,
                RolloutResumeTest::run);
        Map<String, Integer> outcomes = result.counts();
        if (!result.single()) {
            int crashed = outcomes.entrySet().stream().filter(e -> !e.getKey().startsWith("no checkpoint"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertTrue(crashed >= result.total() * 9 / 10, "nearly every scenario must crash inside a rollout: " + outcomes);
            assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith(Differ.RESUME_ROLL)), outcomes.toString());
            assertTrue(outcomes.keySet().stream().anyMatch(k -> k.startsWith(Differ.ROLL_BACK_ROLL)), outcomes.toString());
        }
    }

    /** The image of every instance of every fleet, sorted. */
    private static List<String> images(LiveState live) {
        return live.fleets().stream().flatMap(f -> f.instances().stream()).map(i -> i.imageId()).sorted().toList();
    }

    /** Runs one scenario; returns what the plan after the crash did and how the apply ended. */
    static String run(RolloutScenario scenario, Path dir) throws Exception {
        Random random = new Random(scenario.seed() * 31 + 7);
        // a first run without a crash counts the roll's checkpoints; the same seed gives the same roll
        RolloutHarness probe = new RolloutHarness(dir.resolve("probe"), scenario.seed());
        probe.apply(scenario.stack(1));
        String uninterrupted = probe.apply(scenario.stack(2)).status();
        List<String> uninterruptedImages = images(probe.live());
        long checkpoints = probe.provider.checkpoints();
        probe.provider.close();
        if (checkpoints == 0) {
            return "no checkpoint (the roll ended at once)";
        }
        RolloutHarness harness = new RolloutHarness(dir, scenario.seed());
        harness.apply(scenario.stack(1));
        harness.crashAt(1 + random.nextInt((int) checkpoints), random::nextBoolean);
        if (harness.apply(scenario.stack(2)) != null) {
            throw new AssertionError("the apply did not crash at a checkpoint of its " + checkpoints);
        }
        // the configuration after the crash: the same (carry on), the old image, or a third one
        int next = new int[] {2, 2, 1, 3}[random.nextInt(4)];
        Plan plan = harness.plan(scenario.stack(next));
        LiveState before = harness.live();
        LiveFleet underWay = before.fleets().stream().filter(f -> f.roll() != null).findFirst().orElse(null);
        ResourceChange fleet = plan.changes().stream().filter(c -> c.address().kind().equals("fleet")).findFirst().orElseThrow();
        String decision;
        if (underWay == null) {
            decision = "nothing under way"; // the crash came after the roll's last checkpoint
        } else {
            boolean resume = underWay.roll().to().imageId().equals(fleet.attributes().stream()
                    .filter(a -> a.name().equals("image_id")).map(a -> a.after()).findFirst().orElse(""));
            String code = fleet.reasons().get(0).code();
            if (fleet.action() != Action.ROLL || !code.equals(resume ? Differ.RESUME_ROLL : Differ.ROLL_BACK_ROLL)) {
                throw new AssertionError("the roll " + underWay.roll().id() + " under way must be "
                        + (resume ? "carried on" : "turned back") + ", but the plan says " + fleet);
            }
            if (!fleet.reasons().get(0).path().equals(underWay.roll().id()) || !fleet.reasons().get(0).after().contains("apply crashed")) {
                throw new AssertionError("the plan must name the journaled roll: " + fleet.reasons().get(0));
            }
            decision = code;
        }
        ApplyResult result = harness.apply(scenario.stack(next));
        LiveState after = harness.live();
        for (LiveFleet f : after.fleets()) {
            if (f.roll() != null) {
                throw new AssertionError("a roll is still under way after the apply: " + f.roll());
            }
        }
        RolloutInvariantsTest.check(harness.state, after, "after resuming");
        for (RolloutTimeline t : harness.timelines()) {
            RolloutInvariantsTest.checkTimeline(t);
        }
        if (next == 2 && (!result.status().equals(uninterrupted) || !images(after).equals(uninterruptedImages))) {
            throw new AssertionError("carried on after the crash, the roll ended " + result.status() + " with instances on "
                    + images(after) + "; without the crash it ended " + uninterrupted + " with " + uninterruptedImages);
        }
        Plan again = harness.plan(scenario.stack(next));
        boolean quiet = again.changes().stream().allMatch(c -> c.action() == Action.NO_OP);
        if (result.status().equals("succeeded") && !quiet) {
            throw new AssertionError("the apply after the crash succeeded, but the next plan has changes: " + again.changes());
        }
        if (!result.status().equals("succeeded") && quiet) {
            throw new AssertionError("the apply after the crash ended " + result.status() + ", but the next plan wants nothing");
        }
        harness.provider.close();
        return decision + " (then " + (next == 2 ? "same" : next == 1 ? "old" : "third") + " image) " + result.status();
    }
}
