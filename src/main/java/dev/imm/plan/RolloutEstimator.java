package dev.imm.plan;

import dev.imm.model.RolloutPolicy;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Estimates a roll the way EC2 instance refresh sizes it: with {@code desired} N, at least
 * ceil(N * min_healthy) instances stay healthy and at most floor(N * max_healthy) run, so each batch
 * replaces min(N, terminable + surge) instances (at least one); new instances are launched first while
 * the surge allows. A batch takes an instance's boot time plus the policy's warm-up. Rolls are run as
 * rolling replacements until the rollout strategies land (docs/architecture.md).
 */
public final class RolloutEstimator {
    /** Time from launch to a running instance, before warm-up. */
    public static final long BOOT_MILLIS = 60_000;

    private RolloutEstimator() {
    }

    public static RollEstimate estimate(RolloutPolicy policy, int desired, int instancesToReplace) {
        if (desired == 0 || instancesToReplace == 0) {
            return new RollEstimate(0, 0, 0, BigDecimal.valueOf(100), BigDecimal.valueOf(100));
        }
        int minHealthy = percentOf(desired, policy.minHealthy(), RoundingMode.CEILING);
        int maxRunning = percentOf(desired, policy.maxHealthy(), RoundingMode.FLOOR);
        int surge = Math.max(0, maxRunning - desired);
        int terminable = Math.max(0, desired - minHealthy);
        int batch = Math.max(1, Math.min(instancesToReplace, terminable + surge));
        int batches = (instancesToReplace + batch - 1) / batch;
        int terminatedFirst = Math.max(0, batch - surge);
        int launchedFirst = Math.min(batch, surge);
        long duration = batches * (BOOT_MILLIS + policy.warmupMillis());
        return new RollEstimate(instancesToReplace, batches, duration,
                percent(desired - terminatedFirst, desired), percent(desired + launchedFirst, desired));
    }

    private static int percentOf(int n, BigDecimal percent, RoundingMode rounding) {
        return BigDecimal.valueOf(n).multiply(percent).divide(BigDecimal.valueOf(100), 0, rounding).intValueExact();
    }

    private static BigDecimal percent(int part, int whole) {
        return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
