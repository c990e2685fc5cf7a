package dev.imm.provider;

/** A baked image and how long the bake took (virtual time on the simulated cloud). */
public record BakeResult(String imageId, long durationMillis) {
}
