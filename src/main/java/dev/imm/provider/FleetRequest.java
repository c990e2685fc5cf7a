package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.Address;
import dev.imm.model.FleetSpec;
import java.util.List;
import java.util.SortedMap;

/** A fleet as it should be: the launch configuration, sizes, target groups, tags and health check. */
public record FleetRequest(String stack, Address fleet, LaunchConfiguration launch, int min, int max, int desired,
                           List<String> targetGroups, SortedMap<String, String> tags, FleetSpec.HealthCheck health) {
    public FleetRequest {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }
}
