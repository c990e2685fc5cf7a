package dev.imm.plan;

import dev.imm.model.RolloutPolicy;
import dev.imm.model.RolloutSizing;

/**
 * What a roll is expected to do when nothing fails, counted from the policy (docs/rollouts.md):
 * <ul>
 * <li>rolling and canary: batches sized by {@link RolloutSizing}; in each, the old instances the surge
 *     does not cover stop first (the lowest healthy capacity), the new ones boot and warm up, and the
 *     surge's extra instances are the highest; a batch takes a boot ({@link #BOOT_MILLIS}) plus the
 *     warm-up; a canary adds its pause after every step but the last, and its bake time after the last;</li>
 * <li>blue/green: a second group boots and warms up, is verified, takes the traffic, the old one drains
 *     and is deleted ({@link #TERMINATION_MILLIS}); healthy capacity goes from 100% to 200% and back.</li>
 * </ul>
 * The simulated cloud runs the same rollouts instance by instance; a test holds the two to the same
 * capacity bounds and durations over generated policies.
 */
public final class RolloutEstimator {
    /** Time from launch to a running instance, before warm-up. */
    public static final long BOOT_MILLIS = dev.imm.model.Timings.INSTANCE_BOOT_MILLIS;
    /** Time to terminate the instances of a group being deleted. */
    public static final long TERMINATION_MILLIS = dev.imm.model.Timings.INSTANCE_TERMINATION_MILLIS;

    private RolloutEstimator() {
    }

    public static RollEstimate estimate(RolloutPolicy policy, int desired, int instancesToReplace) {
        long perBatch = BOOT_MILLIS + policy.warmupMillis();
        if (desired > 0 && policy.strategy() == RolloutPolicy.Strategy.BLUE_GREEN) {
            return new RollEstimate(desired, 1, perBatch + policy.verifyMillis() + policy.drainMillis() + TERMINATION_MILLIS,
                    RolloutSizing.capacity(desired, desired), RolloutSizing.capacity(2 * desired, desired));
        }
        if (desired == 0 || instancesToReplace == 0) {
            return new RollEstimate(0, 0, 0, RolloutSizing.capacity(desired, desired), RolloutSizing.capacity(desired, desired));
        }
        RolloutSizing sizing = RolloutSizing.of(policy, desired);
        int[] targets = RolloutSizing.stepTargets(policy, instancesToReplace);
        int batches = 0;
        int replaced = 0;
        int lowest = desired;
        int highest = desired;
        for (int target : targets) {
            while (replaced < target) {
                int size = Math.min(sizing.batch(), target - replaced);
                lowest = Math.min(lowest, desired - sizing.terminatedFirst(size));
                highest = Math.max(highest, desired + sizing.launchedFirst(size));
                replaced += size;
                batches++;
            }
        }
        long duration = batches * perBatch;
        if (policy.strategy() == RolloutPolicy.Strategy.CANARY) {
            duration += (targets.length - 1) * policy.pauseMillis() + policy.bakeTimeMillis();
        }
        return new RollEstimate(instancesToReplace, batches, duration, RolloutSizing.capacity(lowest, desired),
                RolloutSizing.capacity(highest, desired));
    }
}
