package dev.imm.provider;

import dev.imm.model.LaunchConfiguration;
import dev.imm.model.Address;
import java.util.List;
import java.util.SortedMap;

/** A fleet (an Auto Scaling group) as the cloud has it now. */
public record LiveFleet(String fleetId, Address address, LaunchConfiguration launch, int min, int max, int desired,
                        List<String> targetGroups, SortedMap<String, String> tags, List<LiveInstance> instances) {
    public LiveFleet {
        targetGroups = List.copyOf(targetGroups);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
        instances = List.copyOf(instances);
    }

    /** How many instances run an image other than the launch configuration's. */
    public long instancesOffImage() {
        return instances.stream().filter(i -> !i.imageId().equals(launch.imageId())).count();
    }
}
