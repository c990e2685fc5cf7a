package dev.imm.provider;

import java.math.BigDecimal;

/**
 * How a roll ended. {@code fleetId} is the group that runs the fleet afterwards (a blue/green rollout
 * moves it to a new group). {@code lowestHealthy} and {@code highestHealthy} are the bounds of healthy
 * capacity seen during it, in percent of desired; {@code durationMillis} is the time it took (virtual on
 * the simulated cloud). {@code reason} says why it did not succeed, or what it went on despite
 * ({@code on_failure = "continue"}), or is empty.
 */
public record RollResult(Outcome outcome, String fleetId, String reason, long durationMillis, int replaced,
                         BigDecimal lowestHealthy, BigDecimal highestHealthy) {

    /**
     * {@code ROLLED_BACK}: every instance is back on the previous launch configuration; {@code PAUSED}:
     * stopped part way (the replaced instances stay on the new one); {@code FAILED}: neither, for example
     * when the rollback itself failed.
     */
    public enum Outcome { SUCCEEDED, ROLLED_BACK, PAUSED, FAILED }
}
