package dev.imm.provider.sim;

import dev.imm.model.Address;
import dev.imm.model.FaultSpec;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.RolloutSizing;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.RollResult;
import dev.imm.value.Durations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One rollout of a fleet to a new launch configuration on the simulated cloud, in virtual time, with the
 * semantics of EC2 Auto Scaling (docs/rollouts.md):
 * <ul>
 * <li>rolling: batches sized by {@link RolloutSizing}; as many new instances as the surge allows are
 *     launched before the old ones they replace stop, the rest of the batch's old instances stop first;
 *     old instances go oldest first; with {@code skip_matching}, instances already on the new
 *     configuration stay;</li>
 * <li>canary: the same batches, stopping at each step (a percent of the instances to replace) for
 *     {@code pause}, and watching the fleet for {@code bake_time} after the last step;</li>
 * <li>blue/green: a second group at full size on the new configuration, out of traffic until it is
 *     healthy and has passed {@code verify}; then traffic switches, the old group stays ready for
 *     {@code drain}, then it is deleted and the new group is the fleet.</li>
 * </ul>
 * A new instance boots ({@link SimProvider#INSTANCE_BOOT_MILLIS}), then warms up for the policy's
 * {@code warmup}, then counts as healthy. Health gates: an instance that never becomes healthy (fault
 * {@code unhealthy}) fails its health check when the fleet's health check grace period after boot ends;
 * a batch not healthy within {@code step_timeout} of its launch fails; an alarm the policy watches fails
 * the rollout when it fires. A failure then ends as {@code on_failure} says: {@code rollback} returns
 * every replaced instance to the previous configuration (in batches under the same bounds),
 * {@code pause} stops with the instances replaced so far, {@code continue} goes on and says so.
 */
final class Rollout {
    private final SimCloud cloud;
    private final SimFaults faults;
    private final SimCloud.Fleet fleet;
    private final Address address;
    private final RolloutPolicy policy;
    private final ProgressListener listener;
    private final RolloutSizing sizing;
    private final int desired;
    private final long start;
    private final int fromVersion;
    private final Set<String> firedAlarms = new HashSet<>();
    private final List<String> wentOnDespite = new ArrayList<>();
    private RolloutTimeline timeline;
    private SimCloud.Fleet green;
    private int toVersion;
    private long now;
    private int lowest;
    private int highest;
    private String allowance;
    /** Set once a failure was gone on from ({@code on_failure = "continue"}): capacity may stay below min_healthy. */
    private boolean continuing;

    private record Failure(String reason) {
    }

    Rollout(SimCloud cloud, SimFaults faults, SimCloud.Fleet fleet, Address address, RolloutPolicy policy,
            ProgressListener listener) {
        this.cloud = cloud;
        this.faults = faults;
        this.fleet = fleet;
        this.address = address;
        this.policy = policy;
        this.listener = listener;
        this.desired = fleet.desired;
        this.sizing = RolloutSizing.of(policy, desired);
        this.start = cloud.clock;
        this.now = start;
        this.fromVersion = fleet.launchVersion;
        this.lowest = healthy();
        this.highest = lowest;
    }

    RolloutTimeline timeline() {
        return timeline;
    }

    RollResult run(LaunchConfiguration launch, String refreshId) {
        String fromImage = fleet.launch().imageId();
        timeline = new RolloutTimeline(address, policy, sizing, fromImage, launch.imageId());
        if (healthy() < sizing.minHealthy()) {
            allowance = "the fleet had " + healthy() + " healthy instances of " + desired + " when the rollout started";
        }
        sample();
        RollResult result;
        if (policy.strategy() == RolloutPolicy.Strategy.BLUE_GREEN && desired > 0) {
            result = blueGreen(launch, refreshId);
        } else {
            fleet.use(launch);
            toVersion = fleet.launchVersion;
            result = replaceInBatches(refreshId);
        }
        cloud.clock = now;
        SimCloud.Fleet serving = green != null && !green.standby ? green : fleet;
        timeline.imagesAfter = serving.instances.values().stream().map(i -> i.imageId).sorted().toList();
        timeline.result = result;
        return result;
    }

    // ---- rolling and canary ----

    private RollResult replaceInBatches(String refreshId) {
        List<SimCloud.Instance> old = fleet.instances.values().stream()
                .filter(i -> !(policy.skipMatching() && i.launchVersion == toVersion))
                .sorted(Comparator.comparingLong(i -> i.sequence))
                .collect(Collectors.toCollection(ArrayList::new));
        int total = old.size();
        int[] targets = RolloutSizing.stepTargets(policy, total);
        event("instance refresh " + refreshId + " (" + policy.strategy().spelling() + "): replacing " + total + " of "
                + fleet.instances.size() + " instances with launch version " + toVersion + " (" + fleet.launch().imageId()
                + "), " + sizing.batch() + " at a time, at least " + sizing.minHealthy() + " healthy, at most "
                + sizing.maxRunning() + " running" + (sizing.forced() ? "; min_healthy and max_healthy leave no room for a"
                + " batch, so one instance at a time is replaced and healthy capacity dips below min_healthy" : ""));
        Failure failure = alarms(0, total);
        int replaced = 0;
        for (int step = 0; step < targets.length && failure == null && total > 0; step++) {
            while (replaced < targets[step] && failure == null) {
                int size = Math.min(sizing.batch(), targets[step] - replaced);
                List<SimCloud.Instance> victims = new ArrayList<>(old.subList(0, size));
                old.subList(0, size).clear();
                failure = batch(victims, toVersion, true);
                if (failure == null) {
                    replaced += size;
                    failure = alarms(replaced, total);
                }
            }
            if (failure == null && policy.strategy() == RolloutPolicy.Strategy.CANARY) {
                boolean last = step == targets.length - 1;
                long wait = last ? policy.bakeTimeMillis() : policy.pauseMillis();
                event("step " + (step + 1) + "/" + targets.length + ": " + replaced + " of " + total + " instances on launch version "
                        + toVersion + (wait > 0 ? (last ? ", watching the fleet for " : ", pausing for ") + Durations.format(wait) : ""));
                now += wait;
            }
        }
        if (failure != null) {
            return fail(failure, replaced);
        }
        return succeeded(refreshId, fleet.id, replaced);
    }

    /** One batch: old instances stop (first as many as the surge does not cover), new ones start and warm up. */
    private Failure batch(List<SimCloud.Instance> victims, int version, boolean watched) {
        int size = victims.size();
        List<SimCloud.Instance> first = victims.subList(0, sizing.terminatedFirst(size));
        List<SimCloud.Instance> later = victims.subList(sizing.terminatedFirst(size), size);
        if (sizing.forced() && !first.isEmpty()) {
            allowance = "min_healthy " + policy.minHealthy().toPlainString() + "% and max_healthy "
                    + policy.maxHealthy().toPlainString() + "% leave no room for a batch of " + desired;
        }
        terminate(fleet, first);
        if (!first.isEmpty()) {
            event("stopped " + ids(first) + " to make room; " + healthy() + "/" + desired + " healthy");
        }
        Failure failure = launchAndWait(fleet, version, size, watched);
        if (failure != null && !(watched && policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE)) {
            return failure;
        }
        terminate(fleet, later);
        if (!later.isEmpty()) {
            event("stopped " + ids(later) + ", replaced; " + healthy() + "/" + desired + " healthy");
        }
        return null;
    }

    // ---- blue/green ----

    private RollResult blueGreen(LaunchConfiguration launch, String refreshId) {
        green = new SimCloud.Fleet();
        green.id = cloud.newId("asg");
        green.createdAt = now;
        green.min = fleet.min;
        green.max = fleet.max;
        green.desired = fleet.desired;
        green.healthType = fleet.healthType;
        green.healthGraceMillis = fleet.healthGraceMillis;
        green.tags = new java.util.TreeMap<>(fleet.tags);
        green.launchVersions = new ArrayList<>(fleet.launchVersions);
        green.launchVersion = fleet.launchVersion;
        green.use(launch);
        green.standby = true;
        toVersion = green.launchVersion;
        cloud.fleets.put(green.id, green);
        event("blue/green " + refreshId + ": creating group " + green.id + " with " + desired + " instances of "
                + launch.imageId() + ", out of traffic; " + fleet.id + " keeps serving");
        Failure failure = launchAndWait(green, toVersion, desired, true);
        if (failure == null || policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
            failure = alarms(desired, desired);
        }
        if (failure != null && policy.onFailure() != RolloutPolicy.OnFailure.CONTINUE) {
            return dropGreen(failure);
        }
        event("verifying " + green.id + " for " + Durations.format(policy.verifyMillis()) + " before it gets traffic");
        now += policy.verifyMillis();
        timeline.verifyPassedAt = now;
        green.targetGroups = new ArrayList<>(fleet.targetGroups);
        fleet.targetGroups = new ArrayList<>();
        green.standby = false;
        fleet.standby = true;
        sample();
        event("verify passed; traffic switched to " + green.id + "; " + fleet.id + " stays ready for "
                + Durations.format(policy.drainMillis()) + " to switch back at once");
        now += policy.drainMillis();
        event("drain over: deleting " + fleet.id + " (" + fleet.instances.size() + " instances)");
        fleet.instances.clear();
        now += SimProvider.INSTANCE_TERMINATION_MILLIS;
        cloud.fleets.remove(fleet.id);
        sample();
        return succeeded(refreshId, green.id, desired);
    }

    /** A blue/green rollout that failed before traffic moved: the new group goes, the old one never stopped serving. */
    private RollResult dropGreen(Failure failure) {
        event("rollout failed: " + failure.reason() + "; deleting " + green.id + ", " + fleet.id + " kept serving");
        green.instances.clear();
        now += SimProvider.INSTANCE_TERMINATION_MILLIS;
        cloud.fleets.remove(green.id);
        green = null;
        sample();
        event("rolled back: every instance of " + fleet.id + " runs " + fleet.launch().imageId() + " (" + Durations.format(now - start) + ")");
        return result(RollResult.Outcome.ROLLED_BACK, fleet.id, failure.reason(), 0);
    }

    // ---- instances and health ----

    private record Pending(long at, int kind, SimCloud.Instance instance) {
        static final int DIES = 0;
        static final int HEALTHY = 1;
        static final int FAILS = 2;
    }

    /**
     * Launches {@code count} instances of {@code version} into {@code group} and waits until they are all
     * healthy, an instance fails its health check, or the step times out. Instances that die while booting
     * are replaced by Auto Scaling. With {@code watched} false (a rollback), failures are still reported.
     */
    private Failure launchAndWait(SimCloud.Fleet group, int version, int count, boolean watched) {
        if (count <= 0) {
            return null;
        }
        long launchedAt = now;
        long deadline = launchedAt + policy.stepTimeoutMillis();
        PriorityQueue<Pending> queue = new PriorityQueue<>(Comparator.comparingLong(Pending::at)
                .thenComparingLong(p -> p.instance().sequence));
        List<SimCloud.Instance> launched = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            SimCloud.Instance instance = cloud.launch(group, version, now);
            launched.add(instance);
            queue.add(fate(group, instance));
        }
        sample();
        event("launched " + ids(launched) + " (" + group.launch(version).imageId() + "); " + healthText());
        List<SimCloud.Instance> becameHealthy = new ArrayList<>();
        Failure failure = null;
        while (!queue.isEmpty()) {
            Pending next = queue.poll();
            if (next.at() > deadline) {
                now = deadline;
                long waiting = queue.size() + 1;
                String reason = waiting + " new instance" + (waiting == 1 ? " was" : "s were") + " not healthy within step_timeout "
                        + Durations.format(policy.stepTimeoutMillis());
                if (watched && policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
                    goOnDespite(reason);
                } else {
                    failure = new Failure(reason);
                    event("step timed out: " + reason);
                }
                break;
            }
            now = next.at();
            SimCloud.Instance instance = next.instance();
            if (next.kind() == Pending.DIES) {
                group.instances.remove(instance.id);
                SimCloud.Instance replacement = cloud.launch(group, version, now);
                queue.add(fate(group, replacement));
                event(instance.id + " died while booting (injected instance_dies); Auto Scaling launched " + replacement.id);
                sample();
            } else if (next.kind() == Pending.HEALTHY) {
                instance.healthy = true;
                becameHealthy.add(instance);
                sample();
            } else {
                String reason = "instance " + instance.id + " (" + instance.imageId + ") failed its " + group.healthType
                        + " health check " + Durations.format(SimProvider.INSTANCE_BOOT_MILLIS + group.healthGraceMillis)
                        + " after launch (injected unhealthy)";
                if (watched && policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
                    goOnDespite(reason);
                } else {
                    failure = new Failure(reason);
                    event(reason);
                    break;
                }
            }
        }
        if (!becameHealthy.isEmpty()) {
            event(ids(becameHealthy) + " healthy after warm-up of " + Durations.format(policy.warmupMillis()) + "; " + healthText());
        }
        return failure;
    }

    /** What becomes of a new instance: it dies while booting, never passes its health check, or is healthy after warm-up. */
    private Pending fate(SimCloud.Fleet group, SimCloud.Instance instance) {
        if (faults.dies(instance.sequence) != null) {
            return new Pending(now + SimProvider.INSTANCE_BOOT_MILLIS / 2, Pending.DIES, instance);
        }
        if (faults.unhealthy(cloud.images.get(instance.imageId)) != null) {
            return new Pending(now + SimProvider.INSTANCE_BOOT_MILLIS + group.healthGraceMillis, Pending.FAILS, instance);
        }
        return new Pending(now + SimProvider.INSTANCE_BOOT_MILLIS + policy.warmupMillis(), Pending.HEALTHY, instance);
    }

    /** Alarms that fire once {@code done} of {@code total} instances are replaced; a failure if the policy watches one. */
    private Failure alarms(int done, int total) {
        for (FaultSpec alarm : faults.alarms()) {
            if (firedAlarms.contains(alarm.alarm())) {
                continue;
            }
            boolean reached = total == 0 ? done == 0 && alarm.at().signum() == 0
                    : BigDecimal.valueOf(done * 100L).compareTo(alarm.at().multiply(BigDecimal.valueOf(total))) >= 0;
            if (!reached) {
                continue;
            }
            firedAlarms.add(alarm.alarm());
            String reason = "alarm \"" + alarm.alarm() + "\" fired at " + done + " of " + total + " instances replaced (injected at "
                    + alarm.at().toPlainString() + "%)";
            if (!policy.alarms().contains(alarm.alarm())) {
                event(reason + "; this rollout does not watch it");
            } else if (policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
                goOnDespite(reason);
            } else {
                event(reason);
                return new Failure(reason);
            }
        }
        return null;
    }

    // ---- failures ----

    /** {@code on_failure = "continue"}: the failure is reported and the rollout goes on. */
    private void goOnDespite(String reason) {
        wentOnDespite.add(reason);
        continuing = true;
        allowance = "on_failure = \"continue\": the rollout went on after a failure (" + reason + ")";
        event(reason + "; going on (on_failure = \"continue\")");
        sample();
    }

    private RollResult fail(Failure failure, int replaced) {
        boolean rollback = policy.onFailure() == RolloutPolicy.OnFailure.ROLLBACK;
        event("rollout failed: " + failure.reason() + (rollback ? "; rolling back to launch version " + fromVersion + " ("
                + fleet.launch(fromVersion).imageId() + ")" : "; pausing with " + replaced + " instances replaced"));
        List<SimCloud.Instance> notHealthy = fleet.instances.values().stream()
                .filter(i -> i.launchVersion == toVersion && !i.healthy).toList();
        terminate(fleet, notHealthy);
        // a batch that failed after launching ahead still has the old instances it was to replace: scale in
        int surplus = fleet.instances.size() - desired;
        if (surplus > 0) {
            terminate(fleet, fleet.instances.values().stream()
                    .sorted(Comparator.comparing((SimCloud.Instance i) -> i.launchVersion == toVersion).reversed()
                            .thenComparing(Comparator.comparingLong((SimCloud.Instance i) -> i.sequence).reversed()))
                    .limit(surplus).toList());
        }
        fleet.launchVersion = fromVersion;
        Failure again = launchAndWait(fleet, fromVersion, desired - fleet.instances.size(), false);
        if (!rollback) {
            if (again != null) {
                return result(RollResult.Outcome.FAILED, fleet.id, failure.reason() + "; then " + again.reason(), replaced);
            }
            event("paused: " + replaced + " instances on launch version " + toVersion + ", the others on " + fromVersion
                    + "; the next apply decides");
            return result(RollResult.Outcome.PAUSED, fleet.id, failure.reason(), replaced);
        }
        List<SimCloud.Instance> back = fleet.instances.values().stream().filter(i -> i.launchVersion != fromVersion)
                .sorted(Comparator.comparingLong(i -> i.sequence)).collect(Collectors.toCollection(ArrayList::new));
        while (again == null && !back.isEmpty()) {
            int size = Math.min(sizing.batch(), back.size());
            List<SimCloud.Instance> victims = new ArrayList<>(back.subList(0, size));
            back.subList(0, size).clear();
            again = batch(victims, fromVersion, false);
        }
        if (again != null) {
            event("rollback failed: " + again.reason());
            return result(RollResult.Outcome.FAILED, fleet.id, failure.reason() + "; the rollback failed too: " + again.reason(), replaced);
        }
        event("rolled back: every instance runs " + fleet.launch().imageId() + " again (" + Durations.format(now - start) + ")");
        return result(RollResult.Outcome.ROLLED_BACK, fleet.id, failure.reason(), replaced);
    }

    private RollResult succeeded(String refreshId, String fleetId, int replaced) {
        String despite = String.join("; ", wentOnDespite);
        event("instance refresh " + refreshId + " succeeded: " + replaced + " replaced in " + Durations.format(now - start)
                + ", healthy capacity between " + RolloutSizing.capacity(lowest, desired).toPlainString() + "% and "
                + RolloutSizing.capacity(highest, desired).toPlainString() + "%"
                + (despite.isEmpty() ? "" : "; went on despite: " + despite));
        return result(RollResult.Outcome.SUCCEEDED, fleetId, despite, replaced);
    }

    private RollResult result(RollResult.Outcome outcome, String fleetId, String reason, int replaced) {
        return new RollResult(outcome, fleetId, reason, now - start, replaced, RolloutSizing.capacity(lowest, desired),
                RolloutSizing.capacity(highest, desired));
    }

    // ---- bookkeeping ----

    private void terminate(SimCloud.Fleet group, List<SimCloud.Instance> instances) {
        if (!instances.isEmpty()) {
            instances.forEach(i -> group.instances.remove(i.id));
            sample();
        }
    }

    /** Healthy instances of the fleet, in both groups during a blue/green rollout. */
    private int healthy() {
        return fleet.healthyCount() + (green == null ? 0 : green.healthyCount());
    }

    /** {@code 3/4 healthy}; during a blue/green rollout, per group. */
    private String healthText() {
        if (green == null) {
            return healthy() + "/" + desired + " healthy";
        }
        return "new group " + green.healthyCount() + "/" + desired + " healthy, old group " + fleet.healthyCount() + "/" + desired;
    }

    private void sample() {
        int healthy = healthy();
        lowest = Math.min(lowest, healthy);
        highest = Math.max(highest, healthy);
        if (healthy >= sizing.minHealthy() && !continuing) {
            allowance = null;
        }
        int running = fleet.instances.size() + (green == null ? 0 : green.instances.size());
        int servingNew;
        if (green != null) {
            servingNew = green.standby ? 0 : green.healthyCount();
        } else {
            servingNew = (int) fleet.instances.values().stream().filter(i -> i.healthy && i.launchVersion == toVersion
                    && toVersion != fromVersion).count();
        }
        if (timeline != null) {
            timeline.samples.add(new RolloutTimeline.Sample(now, healthy, running, servingNew, healthy < sizing.minHealthy() ? allowance : null));
        }
    }

    private void event(String message) {
        listener.event(address, now, message);
    }

    private static String ids(List<SimCloud.Instance> instances) {
        if (instances.size() > 6) {
            return instances.size() + " instances (" + instances.get(0).id + " … " + instances.get(instances.size() - 1).id + ")";
        }
        return instances.stream().map(i -> i.id).collect(Collectors.joining(", "));
    }
}
