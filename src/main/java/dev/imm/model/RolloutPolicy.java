package dev.imm.model;

import dev.imm.diag.SourceRange;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * How a fleet moves to a new launch configuration. Percentages are of the desired capacity; durations
 * are milliseconds. {@code steps} apply to canary rollouts, {@code verifyMillis} and {@code drainMillis}
 * to blue/green.
 */
public record RolloutPolicy(Address address, Strategy strategy, BigDecimal minHealthy, BigDecimal maxHealthy,
                            long warmupMillis, OnFailure onFailure, List<BigDecimal> steps, long pauseMillis,
                            List<String> alarms, long bakeTimeMillis, long verifyMillis, long drainMillis,
                            boolean skipMatching, SourceRange range) {
    public RolloutPolicy {
        steps = List.copyOf(steps);
        alarms = List.copyOf(alarms);
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
