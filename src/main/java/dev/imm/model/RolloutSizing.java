package dev.imm.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How a rolling or canary rollout sizes its batches, as EC2 instance refresh does: with desired capacity
 * N, at least {@code minHealthy} = ceil(N·min_healthy) instances stay healthy and at most
 * {@code maxRunning} = floor(N·max_healthy) run, so a batch replaces max(1, min(N, (N − minHealthy) +
 * surge)) instances, where {@code surge} = maxRunning − N new instances may be launched before the old
 * ones they replace stop. A max_healthy above 100% always allows at least one extra instance (on a
 * fleet of 4, 110% would otherwise round down to none, and a policy written to launch before it stops
 * would stop first). When the bounds leave no room ({@code forced}), a batch of one is replaced anyway
 * and healthy capacity dips below min_healthy while it warms up.
 *
 * <p>The planner's estimates and the simulated cloud both size batches here, so the two cannot disagree
 * on the rule; they differ in everything else (the simulator runs instances, the estimator counts).
 */
public record RolloutSizing(int desired, int minHealthy, int maxRunning, int surge, int batch, boolean forced) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static RolloutSizing of(RolloutPolicy policy, int desired) {
        int minHealthy = percentOf(desired, policy.minHealthy(), RoundingMode.CEILING);
        int maxRunning = Math.max(desired, percentOf(desired, policy.maxHealthy(), RoundingMode.FLOOR));
        if (maxRunning == desired && desired > 0 && policy.maxHealthy().compareTo(HUNDRED) > 0) {
            maxRunning = desired + 1;
        }
        int surge = maxRunning - desired;
        int room = Math.max(0, desired - minHealthy) + surge;
        int batch = Math.max(1, Math.min(desired, room));
        return new RolloutSizing(desired, minHealthy, maxRunning, surge, batch, room == 0 && desired > 0);
    }

    /** Of a batch of {@code size}: how many new instances are launched before old ones stop. */
    public int launchedFirst(int size) {
        return Math.min(size, surge);
    }

    /** Of a batch of {@code size}: how many old instances stop before their replacements are launched. */
    public int terminatedFirst(int size) {
        return size - launchedFirst(size);
    }

    /** ceil or floor of n·percent/100. */
    public static int percentOf(int n, BigDecimal percent, RoundingMode rounding) {
        return BigDecimal.valueOf(n).multiply(percent).divide(HUNDRED, 0, rounding).intValueExact();
    }

    /**
     * The instances moved by the end of each canary step: ceil(total·step), rising by at least one per
     * step while any are left, and all of them at the last step. A rolling rollout is one step of 100%.
     */
    public static int[] stepTargets(RolloutPolicy policy, int total) {
        var steps = policy.strategy() == RolloutPolicy.Strategy.CANARY && !policy.steps().isEmpty() ? policy.steps()
                : java.util.List.of(HUNDRED);
        int[] targets = new int[steps.size()];
        int previous = 0;
        for (int k = 0; k < targets.length; k++) {
            int t = percentOf(total, steps.get(k), RoundingMode.CEILING);
            t = Math.min(total, Math.max(t, previous + 1));
            targets[k] = k == targets.length - 1 ? total : t;
            previous = targets[k];
        }
        return targets;
    }

    /** Healthy instances in percent of desired, rounded down to hundredths (never overstated). */
    public static BigDecimal capacity(int healthy, int desired) {
        if (desired == 0) {
            return HUNDRED;
        }
        BigDecimal exact = BigDecimal.valueOf(healthy * 100L).divide(BigDecimal.valueOf(desired), 2, RoundingMode.FLOOR);
        exact = exact.stripTrailingZeros();
        return exact.scale() <= 0 ? BigDecimal.valueOf(exact.longValue()) : exact;
    }
}
