package dev.imm.provider;

import java.math.BigDecimal;

/**
 * How a roll ended. {@code lowestHealthy} and {@code highestHealthy} are the bounds of healthy capacity
 * seen during it, in percent of desired; {@code durationMillis} is the time it took (virtual on the
 * simulated cloud). {@code reason} says why it did not succeed, or is empty.
 */
public record RollResult(Outcome outcome, String reason, long durationMillis, int replaced, BigDecimal lowestHealthy,
                         BigDecimal highestHealthy) {

    public enum Outcome { SUCCEEDED, ROLLED_BACK, PAUSED, FAILED }
}
