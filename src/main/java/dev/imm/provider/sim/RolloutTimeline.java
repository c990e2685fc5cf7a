package dev.imm.provider.sim;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.RolloutSizing;
import dev.imm.provider.RollResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What one rollout on the simulated cloud did, sample by sample: after every change to the fleet, the
 * virtual time, the healthy instances (of every group of the fleet), the instances running, the new
 * instances that receive traffic, and, when healthy capacity is below min_healthy, why the policy allows
 * it ({@code allowance}; null when nothing does). The rollout invariants are checked against it.
 */
final class RolloutTimeline {
    record Sample(long at, int healthy, int running, int servingNew, String allowance) {
    }

    final Address fleet;
    final RolloutPolicy policy;
    final RolloutSizing sizing;
    final String fromImageId;
    final String toImageId;
    final List<Sample> samples = new ArrayList<>();
    /** When the blue/green verify period passed; null if it never did. */
    Long verifyPassedAt;
    RollResult result;
    /** The image of every instance of the fleet when the rollout ended. */
    List<String> imagesAfter = List.of();

    RolloutTimeline(Address fleet, RolloutPolicy policy, RolloutSizing sizing, String fromImageId, String toImageId) {
        this.fleet = fleet;
        this.policy = policy;
        this.sizing = sizing;
        this.fromImageId = fromImageId;
        this.toImageId = toImageId;
    }
}
