package dev.imm.provider;

/** One instance of a fleet, with the image it runs and whether it passes its health check now. */
public record LiveInstance(String instanceId, String imageId, boolean healthy) {
}
