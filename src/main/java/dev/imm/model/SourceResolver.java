package dev.imm.model;

import java.util.Optional;

/**
 * Finds the image id a source stands for (newest image matching a name filter and owners, or the id in a
 * public parameter). The cloud answers this at plan time; during {@code validate} there may be no answer,
 * and the bake hashes that need one stay unknown.
 */
@FunctionalInterface
public interface SourceResolver {
    SourceResolver NONE = source -> Optional.empty();

    Optional<String> resolve(SourceSpec source);

    /**
     * Why {@link #resolve} found nothing for {@code source}, when the cloud said why (a permission it
     * refused, say); null when the source simply matches no image.
     */
    default String failure(SourceSpec source) {
        return null;
    }
}
