package dev.imm.provider;

import dev.imm.model.Address;
import dev.imm.model.BuilderNetwork;
import dev.imm.model.ContainerBuild;
import dev.imm.model.ProvisionStep;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * Bake one image: launch a builder from {@code sourceImageId}, run the steps in order (files that steps
 * name are read from {@code stackDirectory}), create the image, tag it with {@code imm:stack},
 * {@code imm:image} and {@code imm:bake-hash} plus {@code tags}, and remove the builder. A container image
 * ({@code container} set) is built on {@code sourceImageId} (a digest reference, or {@code scratch}) and
 * pushed to its registry instead.
 */
public record BakeRequest(String stack, Address image, String bakeHash, String sourceImageId, String instanceType,
                          long timeoutMillis, List<ProvisionStep> steps, Path stackDirectory,
                          SortedMap<String, String> tags, BuilderNetwork builder, ContainerBuild container) {
    /** A machine image's bake. */
    public BakeRequest(String stack, Address image, String bakeHash, String sourceImageId, String instanceType,
                       long timeoutMillis, List<ProvisionStep> steps, Path stackDirectory,
                       SortedMap<String, String> tags, BuilderNetwork builder) {
        this(stack, image, bakeHash, sourceImageId, instanceType, timeoutMillis, steps, stackDirectory, tags, builder, null);
    }

    public BakeRequest {
        steps = List.copyOf(steps);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
        builder = builder == null ? BuilderNetwork.DEFAULT : builder;
    }

    /** A bake whose builder runs where the cloud puts it. */
    public BakeRequest(String stack, Address image, String bakeHash, String sourceImageId, String instanceType,
                       long timeoutMillis, List<ProvisionStep> steps, Path stackDirectory, SortedMap<String, String> tags) {
        this(stack, image, bakeHash, sourceImageId, instanceType, timeoutMillis, steps, stackDirectory, tags, BuilderNetwork.DEFAULT);
    }
}
