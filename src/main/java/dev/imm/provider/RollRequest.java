package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;

/**
 * Replace a fleet's instances with ones of a new launch configuration, under a rollout policy.
 * {@code fleet} is the fleet as declared (its user data in clear, sizes, target groups, tags): a cloud
 * launches the new instances (or the new group of a blue/green rollout) from it.
 */
public record RollRequest(String fleetId, LaunchConfiguration launch, RolloutPolicy policy, FleetRequest fleet) {

    /**
     * For a cloud that takes everything but the launch configuration from the group it has (the
     * simulated cloud copies its group).
     */
    public RollRequest(String fleetId, LaunchConfiguration launch, RolloutPolicy policy) {
        this(fleetId, launch, policy, null);
    }
}
