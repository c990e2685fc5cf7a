package dev.imm.provider.sim;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.RollResult;
import dev.imm.value.Durations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rolling replacement of a fleet's instances, as an EC2 instance refresh does it, in virtual time.
 * With desired capacity N, {@code min_healthy} p and {@code max_healthy} q, at least ceil(N·p/100)
 * instances stay healthy and at most floor(N·q/100) run. Each batch replaces
 * max(1, min(N − ceil(N·p/100) + (floor(N·q/100) − N), N)) instances: as many of them as the surge
 * (floor(N·q/100) − N) allows are launched before their old ones are terminated, the rest are terminated
 * first. A new instance boots, then warms up for the policy's warm-up, then is healthy; the old
 * instances it replaces in the surge are terminated then. Old instances go oldest first.
 *
 * <p>Every strategy (rolling, canary, blue/green) is run as this rolling replacement for now: canary
 * steps and checkpoints, alarms, bake time and blue/green groups come with the full strategies. No fault
 * is injected yet, so every new instance becomes healthy and a refresh always succeeds.
 *
 * <p>When min_healthy leaves no room for a batch (p = q = 100, or a fleet too small for p), a batch of
 * one is still replaced, and the lowest healthy capacity reported shows the dip.
 */
final class InstanceRefresh {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final SimCloud cloud;
    private final SimCloud.Fleet fleet;
    private final Address address;
    private final ProgressListener listener;
    private final int desired;
    private long now;
    private int lowest;
    private int highest;

    private InstanceRefresh(SimCloud cloud, SimCloud.Fleet fleet, Address address, ProgressListener listener) {
        this.cloud = cloud;
        this.fleet = fleet;
        this.address = address;
        this.listener = listener;
        this.desired = fleet.desired;
        this.now = cloud.clock;
        this.lowest = fleet.healthyCount();
        this.highest = lowest;
    }

    /** Healthy instances that must remain: ceil(N·p/100). */
    static int minHealthyCount(int desired, BigDecimal minHealthyPercent) {
        return BigDecimal.valueOf(desired).multiply(minHealthyPercent).divide(HUNDRED, 0, RoundingMode.CEILING)
                .intValueExact();
    }

    /** Instances that may run at once: floor(N·q/100). */
    static int maxCount(int desired, BigDecimal maxHealthyPercent) {
        return BigDecimal.valueOf(desired).multiply(maxHealthyPercent).divide(HUNDRED, 0, RoundingMode.FLOOR)
                .intValueExact();
    }

    static int batchSize(int desired, int minHealthy, int max) {
        return Math.max(1, Math.min(desired - minHealthy + (max - desired), desired));
    }

    /**
     * Moves the fleet to {@code launch} and replaces its instances, advancing the cloud's clock. Instances
     * already on {@code launch} are kept when the policy skips matching ones.
     */
    static RollResult run(SimCloud cloud, SimCloud.Fleet fleet, Address address, LaunchConfiguration launch,
                          RolloutPolicy policy, String refreshId, ProgressListener listener) {
        return new InstanceRefresh(cloud, fleet, address, listener).replace(launch, policy, refreshId);
    }

    private RollResult replace(LaunchConfiguration launch, RolloutPolicy policy, String refreshId) {
        long start = now;
        fleet.use(launch);
        int version = fleet.launchVersion;
        List<SimCloud.Instance> old = fleet.instances.values().stream()
                .filter(i -> !(policy.skipMatching() && fleet.launch(i.launchVersion).equals(launch)))
                .sorted(Comparator.comparingLong(i -> i.sequence))
                .collect(Collectors.toCollection(ArrayList::new));
        int minHealthy = minHealthyCount(desired, policy.minHealthy());
        int max = maxCount(desired, policy.maxHealthy());
        int batch = batchSize(desired, minHealthy, max);
        int surge = Math.max(0, max - desired);
        int batches = (old.size() + batch - 1) / batch;
        event("instance refresh " + refreshId + " (" + policy.strategy().spelling() + "): replacing " + old.size()
                + " of " + fleet.instances.size() + " instances with launch version " + version + " (" + launch.imageId()
                + "), " + batch + " at a time, at least " + minHealthy + " healthy, at most " + max + " running");
        int replaced = 0;
        for (int n = 1; !old.isEmpty(); n++) {
            int size = Math.min(batch, old.size());
            List<SimCloud.Instance> victims = new ArrayList<>(old.subList(0, size));
            old.subList(0, size).clear();
            int launchFirst = Math.min(size, surge);
            List<SimCloud.Instance> terminatedFirst = victims.subList(0, size - launchFirst);
            List<SimCloud.Instance> terminatedLater = victims.subList(size - launchFirst, size);
            terminate(terminatedFirst);
            List<SimCloud.Instance> launched = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                launched.add(cloud.launch(fleet, version, now));
            }
            observe();
            event("batch " + n + "/" + batches + ": "
                    + (terminatedFirst.isEmpty() ? "" : "terminated " + ids(terminatedFirst) + ", ")
                    + "launched " + ids(launched) + " (" + fleet.healthyCount() + "/" + desired + " healthy)");
            now += SimProvider.INSTANCE_BOOT_MILLIS;
            event("batch " + n + "/" + batches + ": " + ids(launched) + " running, warming up for "
                    + Durations.format(policy.warmupMillis()));
            now += policy.warmupMillis();
            launched.forEach(i -> i.healthy = true);
            observe();
            terminate(terminatedLater);
            observe();
            replaced += size;
            event("batch " + n + "/" + batches + ": " + ids(launched) + " healthy"
                    + (terminatedLater.isEmpty() ? "" : ", terminated " + ids(terminatedLater))
                    + " (" + fleet.healthyCount() + "/" + desired + " healthy)");
        }
        cloud.clock = now;
        BigDecimal low = percent(lowest);
        BigDecimal high = percent(highest);
        event("instance refresh " + refreshId + " succeeded: " + replaced + " replaced in "
                + Durations.format(now - start) + ", healthy capacity between " + low.toPlainString() + "% and "
                + high.toPlainString() + "%");
        return new RollResult(RollResult.Outcome.SUCCEEDED, "", now - start, replaced, low, high);
    }

    private void terminate(List<SimCloud.Instance> instances) {
        instances.forEach(i -> fleet.instances.remove(i.id));
    }

    private void observe() {
        int healthy = fleet.healthyCount();
        lowest = Math.min(lowest, healthy);
        highest = Math.max(highest, healthy);
    }

    /** Healthy instances in percent of desired, rounded down to hundredths (never overstated). */
    private BigDecimal percent(int healthy) {
        if (desired == 0) {
            return HUNDRED;
        }
        BigDecimal exact = BigDecimal.valueOf(healthy * 100L).divide(BigDecimal.valueOf(desired), 2, RoundingMode.FLOOR);
        return exact.stripTrailingZeros().scale() <= 0 ? BigDecimal.valueOf(exact.longValue()) : exact.stripTrailingZeros();
    }

    private void event(String message) {
        listener.event(address, now, message);
    }

    private static String ids(List<SimCloud.Instance> instances) {
        return instances.stream().map(i -> i.id).collect(Collectors.joining(", "));
    }
}
