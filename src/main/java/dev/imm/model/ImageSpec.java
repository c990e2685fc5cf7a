package dev.imm.model;

import dev.imm.diag.SourceRange;
import java.util.List;
import java.util.SortedMap;

/**
 * An image as declared. {@code steps} are all provisioning steps in the order they run: those of the
 * listed components first (in list order), then the image's own. {@code bakeInputs} is the canonical
 * encoding of its bake inputs and {@code bakeHash} its hash; both are null while they cannot be known (a
 * source that only the cloud can resolve, during {@code validate}). {@code builder} is where the builder
 * instance runs, which is not a bake input. {@code container} says how a container image is built (null
 * for a machine image: a container has no builder instance, steps or components), and {@code policy} what
 * the image must satisfy before a fleet runs it.
 */
public record ImageSpec(Address address, SourceSpec source, String instanceType, long timeoutMillis,
                        List<Address> components, List<ProvisionStep> steps, SortedMap<String, String> tags,
                        List<String> inputTags, int keep, String bakeInputs, String bakeHash, SourceRange range,
                        BuilderNetwork builder, ContainerBuild container, ImagePolicy policy) {
    /** A machine image with no policy. */
    public ImageSpec(Address address, SourceSpec source, String instanceType, long timeoutMillis,
                     List<Address> components, List<ProvisionStep> steps, SortedMap<String, String> tags,
                     List<String> inputTags, int keep, String bakeInputs, String bakeHash, SourceRange range,
                     BuilderNetwork builder) {
        this(address, source, instanceType, timeoutMillis, components, steps, tags, inputTags, keep, bakeInputs, bakeHash,
                range, builder, null, ImagePolicy.NONE);
    }

    /** Whether this is a container image (pushed to a registry) rather than a machine image. */
    public boolean isContainer() {
        return container != null;
    }

    public ImageSpec {
        policy = policy == null ? ImagePolicy.NONE : policy;
        components = List.copyOf(components);
        steps = List.copyOf(steps);
        tags = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(tags));
        inputTags = List.copyOf(inputTags);
    }
}
