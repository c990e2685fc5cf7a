package dev.imm.provider;

import dev.imm.model.Address;

/**
 * A bake under way in the cloud (its builder runs), most often one an earlier imm started and did not
 * see end: the image and bake hash it bakes, when it started, and where it is, in the provider's words
 * ({@code step 2 of 3}).
 */
public record LiveBake(String id, Address image, String bakeHash, long startedAtMillis, String progress) {
}
