package dev.imm.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutEstimatorTest {

    private static RolloutPolicy policy(int min, int max, long warmupMillis) {
        return new RolloutPolicy(Address.of("rollout", "p"), RolloutPolicy.Strategy.ROLLING, BigDecimal.valueOf(min),
                BigDecimal.valueOf(max), warmupMillis, RolloutPolicy.OnFailure.ROLLBACK, List.of(), 0, List.of(), 0, 0, 0,
                RolloutPolicy.DEFAULT_STEP_TIMEOUT_MILLIS, false, null);
    }

    @Test
    void ninetyPercentOfTenReplacesOneAtATimeWithoutSurge() {
        RollEstimate e = RolloutEstimator.estimate(policy(90, 100, 120_000), 10, 10);
        assertEquals(10, e.batches());
        assertEquals(10 * (60_000 + 120_000), e.durationMillis());
        assertEquals(0, new BigDecimal("90").compareTo(e.lowestHealthy()));
        assertEquals(0, new BigDecimal("100").compareTo(e.highestHealthy()));
    }

    @Test
    void surgeLaunchesFirstAndKeepsFullCapacity() {
        RollEstimate e = RolloutEstimator.estimate(policy(100, 150, 30_000), 4, 4);
        assertEquals(2, e.batches());
        assertEquals(0, new BigDecimal("100").compareTo(e.lowestHealthy()));
        assertEquals(0, new BigDecimal("150").compareTo(e.highestHealthy()));
    }

    @Test
    void aPolicyThatAllowsNoBatchStillMovesOneInstanceAtATime() {
        RollEstimate e = RolloutEstimator.estimate(policy(100, 100, 0), 3, 3);
        assertEquals(3, e.batches());
        assertEquals(0, new BigDecimal("66.66").compareTo(e.lowestHealthy()));
    }

    @Test
    void nothingToReplaceTakesNoTime() {
        RollEstimate e = RolloutEstimator.estimate(policy(90, 100, 120_000), 5, 0);
        assertEquals(0, e.instances());
        assertEquals(0, e.durationMillis());
    }
}
