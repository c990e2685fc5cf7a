package dev.imm.provider.oci;

import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.util.List;
import java.util.Optional;

/**
 * Registry credentials from the chain jib supports, in its order: the Docker configuration
 * ({@code ~/.docker/config.json}, with its credential helpers and store), then the well-known credential
 * helpers. Nothing is stored: every registry asks again.
 */
final class Credentials {

    /** The retrievers jib tries for an image, first to last. */
    static List<CredentialRetriever> chain(ImageReference image) {
        CredentialRetrieverFactory factory = CredentialRetrieverFactory.forImage(image, event -> { });
        return List.of(factory.dockerConfig(), factory.wellKnownCredentialHelpers());
    }

    /** User name and secret for a registry, or empty when none is configured. */
    Optional<String[]> of(String registry) {
        for (CredentialRetriever retriever : chain(ImageReference.of(registry, "library/any", null))) {
            try {
                var found = retriever.retrieve();
                if (found.isPresent()) {
                    return Optional.of(new String[] {found.get().getUsername(), found.get().getPassword()});
                }
            } catch (Exception unavailable) {
                // a helper that is not installed or fails: the next one is tried, as jib does
            }
        }
        return Optional.empty();
    }
}
