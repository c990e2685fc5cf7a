package dev.imm.model;

import dev.imm.diag.SourceRange;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * How a fleet moves to a new launch configuration. Percentages are of the desired capacity; durations
 * are milliseconds. {@code steps}, {@code pauseMillis} and {@code bakeTimeMillis} apply to canary
 * rollouts, {@code verifyMillis} and {@code drainMillis} to blue/green. {@code stepTimeoutMillis} is the
 * longest a batch (or the new group of a blue/green rollout) may take from launch to healthy before the
 * rollout fails. docs/rollouts.md says how each strategy runs.
 */
public record RolloutPolicy(Address address, Strategy strategy, BigDecimal minHealthy, BigDecimal maxHealthy,
                            long warmupMillis, OnFailure onFailure, List<BigDecimal> steps, long pauseMillis,
                            List<String> alarms, long bakeTimeMillis, long verifyMillis, long drainMillis,
                            long stepTimeoutMillis, boolean skipMatching, SourceRange range) {
    public RolloutPolicy {
        steps = List.copyOf(steps);
        alarms = List.copyOf(alarms);
    }

    /**
     * The policy of a fleet without {@code rollout}, and the start of a rollout block without
     * {@code extends}: rolling, 90% to 100% healthy, 2 minutes of warm-up, roll back on failure (as
     * std/rollouts' {@code rolling}); verify and drain of 5 minutes each for blue/green; 30 minutes for a
     * step to become healthy.
     */
    public static final long DEFAULT_STEP_TIMEOUT_MILLIS = 1_800_000;

    public static RolloutPolicy defaults(Address address, SourceRange range) {
        return new RolloutPolicy(address, Strategy.ROLLING, BigDecimal.valueOf(90), BigDecimal.valueOf(100), 120_000,
                OnFailure.ROLLBACK, List.of(), 0, List.of(), 0, 300_000, 300_000, DEFAULT_STEP_TIMEOUT_MILLIS, false, range);
    }

    public enum Strategy {
        ROLLING, CANARY, BLUE_GREEN;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum OnFailure {
        ROLLBACK, PAUSE, CONTINUE;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
