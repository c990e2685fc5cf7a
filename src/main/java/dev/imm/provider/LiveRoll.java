package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;

/**
 * A roll under way in the cloud (an instance refresh, or a blue/green rollout between its two groups),
 * as the cloud reports it: most often one that an earlier imm started and did not see end. {@code from}
 * is the launch configuration the fleet had before it, {@code to} the one it moves to; {@code replaced}
 * of {@code total} instances are done; {@code phase} says where it is, in the provider's words.
 * {@code policy} is the policy it runs under, as the cloud keeps it (a stack's policy may have changed
 * since it started), or null when the cloud does not say.
 */
public record LiveRoll(String id, RolloutPolicy.Strategy strategy, String phase, LaunchConfiguration from,
                       LaunchConfiguration to, int replaced, int total, long startedAtMillis, RolloutPolicy policy) {

    /** A roll whose policy the cloud does not tell. */
    public LiveRoll(String id, RolloutPolicy.Strategy strategy, String phase, LaunchConfiguration from,
                    LaunchConfiguration to, int replaced, int total, long startedAtMillis) {
        this(id, strategy, phase, from, to, replaced, total, startedAtMillis, null);
    }

    /** {@code 3 of 8 instances replaced}, or the blue/green phase. */
    public String progress() {
        if (strategy == RolloutPolicy.Strategy.BLUE_GREEN) {
            return "blue/green, " + phase;
        }
        return replaced + " of " + total + " instances replaced" + (phase.isEmpty() ? "" : ", " + phase);
    }
}
