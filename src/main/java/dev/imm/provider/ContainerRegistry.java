package dev.imm.provider;

import dev.imm.model.PolicyCheck;
import dev.imm.model.Address;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Container registries, spoken to in the terms of the domain: resolve a tag to the digest it names today,
 * find the images a stack pushed (by the tag of their bake hash), build and push an image (and sign it),
 * check its signature, delete a manifest. References are {@code host[:port]/repository@sha256:<hex>}.
 */
public interface ContainerRegistry {

    /** The digest reference a tag reference names now ({@code host/repo@sha256:…}), or empty when none. */
    Optional<String> digestOf(String reference) throws ProviderException;

    /**
     * The images of {@code lookups} that exist: a recorded reference that is still there, or the image a
     * bake of that hash pushed earlier (found by its bake tag).
     */
    List<LiveImage> read(Collection<Lookup> lookups) throws ProviderException;

    /** Builds the image, pushes it under its bake tag, signs it when the build has a key; gives its reference. */
    BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException;

    /**
     * Deletes the image's manifest and its signature; false when the registry does not allow deletes (the
     * image then stays in the registry, unknown to the state).
     */
    boolean delete(String reference) throws ProviderException;

    /** Whether a signature stored beside the image (cosign's layout) verifies with the public key. */
    PolicyCheck verifySignature(Address image, String reference, String publicKeyPem);

    /**
     * Runs the user's scanner on the image: {@code command} with {@code {ref}} replaced by the reference;
     * exit status 0 passes. A scanner that is not installed fails the check (fail closed).
     */
    PolicyCheck scan(Address image, String reference, String command);

    /**
     * What to look for: a recorded image ({@code reference} with a digest), or a bake of {@code bakeHash}
     * pushed to {@code repository}.
     */
    record Lookup(Address image, String repository, String bakeHash, String reference) {
    }
}
