package dev.imm.provider;

import dev.imm.model.Address;
import java.util.Map;
import java.util.SortedMap;

/** An image that exists in the cloud and that this stack baked (found by its tags). */
public record LiveImage(String imageId, Address address, String bakeHash, String sourceImageId, long createdAtMillis,
                        SortedMap<String, String> tags) {
    public LiveImage {
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
    }

    public static LiveImage of(String imageId, Address address, String bakeHash, String sourceImageId, long createdAt,
                               Map<String, String> tags) {
        return new LiveImage(imageId, address, bakeHash, sourceImageId, createdAt, new java.util.TreeMap<>(tags));
    }
}
