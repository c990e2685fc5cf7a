package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;

/** Replace a fleet's instances with ones of a new launch configuration, under a rollout policy. */
public record RollRequest(String fleetId, LaunchConfiguration launch, RolloutPolicy policy) {
}
