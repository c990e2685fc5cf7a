package dev.imm.state;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import java.util.List;
import java.util.SortedMap;

/**
 * A fleet as the last apply left it: its cloud id, launch configuration (with the image and bake hash it
 * runs), sizes, target groups and tags, and whether it may be destroyed (kept here because a fleet
 * removed from the configuration no longer says). Secrets never appear here: user data is kept as its hash.
 */
public record FleetRecord(Address address, String fleetId, Address image, String bakeHash, LaunchConfiguration launch,
                          int min, int max, int desired, List<String> targetGroups, SortedMap<String, String> tags,
                          Address rollout, boolean preventDestroy) {
    public FleetRecord {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }
}
