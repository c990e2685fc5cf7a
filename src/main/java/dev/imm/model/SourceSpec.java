package dev.imm.model;

import java.util.List;

/** Where a bake starts from. */
public sealed interface SourceSpec {

    /** An existing image by id: {@code id = "ami-…"}. */
    record ById(String id) implements SourceSpec {
    }

    /** The newest image whose name matches, published by one of {@code owners}. */
    record ByFilter(String nameFilter, List<String> owners) implements SourceSpec {
        public ByFilter {
            owners = List.copyOf(owners);
        }
    }

    /** The image id held by a public parameter, such as {@code /aws/service/ami-amazon-linux-latest/…}. */
    record BySsmParameter(String parameter) implements SourceSpec {
    }

    /** Another image of the stack: layering. */
    record Layered(Address image) implements SourceSpec {
    }

    /**
     * A container image in a registry by tag ({@code host/repo:tag}): what it names moves, so it is
     * resolved to a digest at every plan. Only {@code allow_tag = true} lets a container start from one.
     */
    record ByTag(String reference) implements SourceSpec {
    }
}
