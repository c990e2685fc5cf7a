package dev.imm.state;

/** One baked version of an image: its cloud id, the bake hash it was baked for, and when (epoch ms). */
public record ImageVersion(String imageId, String bakeHash, String sourceImageId, long bakedAtMillis) {
}
