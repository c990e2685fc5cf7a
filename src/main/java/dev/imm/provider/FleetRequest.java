package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.Address;
import dev.imm.model.FleetSpec;
import java.util.List;
import java.util.SortedMap;

/**
 * A fleet as it should be: the launch configuration, sizes, target groups, tags and health check.
 * {@code userData} is the user data in clear (null for none), for the cloud to launch instances with:
 * the launch configuration holds only its hash, and nothing that imm records or prints holds it.
 */
public record FleetRequest(String stack, Address fleet, LaunchConfiguration launch, int min, int max, int desired,
                           List<String> targetGroups, SortedMap<String, String> tags, FleetSpec.HealthCheck health,
                           String userData) {
    public FleetRequest {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }

    /** A fleet without user data. */
    public FleetRequest(String stack, Address fleet, LaunchConfiguration launch, int min, int max, int desired,
                        List<String> targetGroups, SortedMap<String, String> tags, FleetSpec.HealthCheck health) {
        this(stack, fleet, launch, min, max, desired, targetGroups, tags, health, null);
    }

    /** Never shows the user data, which may hold secrets. */
    @Override
    public String toString() {
        return "FleetRequest[" + stack + " " + fleet + " " + launch + " " + min + "/" + desired + "/" + max + " "
                + targetGroups + " " + tags + " " + health + (userData == null ? "" : " user data (hidden)") + "]";
    }
}
