package dev.imm.provider;

/**
 * A fleet's capacity at one moment of a rollout: the instances healthy and running (in every group of
 * the fleet, both during a blue/green rollout), its desired capacity, and the policy's bounds in
 * instances: at least {@code minHealthy} healthy, at most {@code maxRunning} running.
 */
public record CapacitySample(int healthy, int running, int desired, int minHealthy, int maxRunning) {
}
