package dev.imm.plan;

import java.math.BigDecimal;

/**
 * What a roll is expected to do: how many instances it replaces, in how many batches, how long it
 * takes, and the lowest and highest healthy capacity during it, in percent of the desired capacity.
 */
public record RollEstimate(int instances, int batches, long durationMillis, BigDecimal lowestHealthy,
                           BigDecimal highestHealthy) {

    /** This roll, then {@code next}: counts and durations add up, the capacity bounds are the widest of the two. */
    public RollEstimate then(RollEstimate next) {
        return new RollEstimate(instances + next.instances, batches + next.batches, durationMillis + next.durationMillis,
                lowestHealthy.min(next.lowestHealthy), highestHealthy.max(next.highestHealthy));
    }
}
