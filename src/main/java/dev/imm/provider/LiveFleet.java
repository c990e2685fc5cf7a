package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.Address;
import java.util.List;
import java.util.SortedMap;

/**
 * A fleet (an Auto Scaling group) as the cloud has it now; {@code roll} is the roll under way on it, or
 * null; {@code creating} says its creation is under way (its first instances are not all launched and
 * healthy yet: an imm that created it stopped before it saw them).
 */
public record LiveFleet(String fleetId, Address address, LaunchConfiguration launch, int min, int max, int desired,
                        List<String> targetGroups, SortedMap<String, String> tags, List<LiveInstance> instances,
                        LiveRoll roll, boolean creating) {
    public LiveFleet {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
        instances = List.copyOf(instances);
    }

    /** A fleet whose creation has ended. */
    public LiveFleet(String fleetId, Address address, LaunchConfiguration launch, int min, int max, int desired,
                     List<String> targetGroups, SortedMap<String, String> tags, List<LiveInstance> instances,
                     LiveRoll roll) {
        this(fleetId, address, launch, min, max, desired, targetGroups, tags, instances, roll, false);
    }

    /** A fleet with no roll under way. */
    public LiveFleet(String fleetId, Address address, LaunchConfiguration launch, int min, int max, int desired,
                     List<String> targetGroups, SortedMap<String, String> tags, List<LiveInstance> instances) {
        this(fleetId, address, launch, min, max, desired, targetGroups, tags, instances, null);
    }

    /** How many instances run an image other than the launch configuration's. */
    public long instancesOffImage() {
        return instances.stream().filter(i -> !i.imageId().equals(launch.imageId())).count();
    }
}
