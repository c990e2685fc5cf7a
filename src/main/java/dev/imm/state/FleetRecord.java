package dev.imm.state;

import dev.imm.model.Address;
import dev.imm.model.LaunchConfiguration;
import java.util.List;
import java.util.SortedMap;

/**
 * A fleet as the last apply left it: its cloud id, launch configuration (with the image and bake hash it
 * runs), sizes, target groups and tags, and whether it may be destroyed (kept here because a fleet
 * removed from the configuration no longer says), and the last roll if it did not complete
 * ({@code lastAttempt}, or null). Secrets never appear here: user data is kept as its hash.
 */
public record FleetRecord(Address address, String fleetId, Address image, String bakeHash, LaunchConfiguration launch,
                          int min, int max, int desired, List<String> targetGroups, SortedMap<String, String> tags,
                          Address rollout, boolean preventDestroy, RollAttempt lastAttempt) {
    public FleetRecord {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }

    /** The same record, with this last attempt (null: the last roll completed). */
    public FleetRecord withLastAttempt(RollAttempt attempt) {
        return new FleetRecord(address, fleetId, image, bakeHash, launch, min, max, desired, targetGroups, tags, rollout,
                preventDestroy, attempt);
    }
}
