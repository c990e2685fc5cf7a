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
import java.util.List;
import java.util.PriorityQueue;
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
 *
 * <p>The rollout is a {@link SimCloud.Refresh} kept in the cloud, moved on one checkpoint at a time by
 * {@link #advance} (a batch, a canary step's pause, a blue/green phase, a rollback batch), so that the
 * cloud saved between two checkpoints says exactly where it is and a later process can carry it on
 * ({@link SimProvider#awaitRoll}) or turn it back ({@link #requestRollback}).
 */
final class Rollout {
    /** Where a refresh is; each phase ends at a checkpoint. */
    enum Phase {
        /** Nothing changed yet. */
        START,
        /** Rolling and canary: replacing {@code pending}, a batch (or a canary step's pause) at a time. */
        BATCHES,
        /** A failure is to be handled: unhealthy new instances go, missing capacity is refilled. */
        FAILING,
        /** Replaced instances go back to the previous launch version, a batch at a time. */
        ROLLING_BACK,
        /** Blue/green: the new group launches, out of traffic. */
        GREEN,
        /** Blue/green: the new group is watched for {@code verify}, then takes the traffic. */
        VERIFY,
        /** Blue/green: the old group stays ready for {@code drain}, then is deleted. */
        DRAIN,
        /** Blue/green, before the switch: the new group is deleted; the old one never stopped serving. */
        DROP_GREEN,
        /** Blue/green, during drain: traffic goes back to the old group, the new one is deleted. */
        SWITCH_BACK,
        ENDED
    }

    private final SimCloud cloud;
    private final SimFaults faults;
    private final SimCloud.Refresh refresh;
    private final SimCloud.Fleet fleet;
    private final Address address;
    private final RolloutPolicy policy;
    private final ProgressListener listener;
    private final RolloutSizing sizing;
    private final int desired;
    private final RolloutTimeline timeline;
    private SimCloud.Fleet green;
    private long now;
    /** When the rollback (or, blue/green, the turning back) began; null while none has. */
    private Long rollbackFrom;

    private record Failure(String reason) {
    }

    /**
     * A new refresh of {@code fleet} to {@code launch}, recorded in the cloud and not yet started; the
     * fleet's earlier refreshes, ended, are forgotten.
     */
    static SimCloud.Refresh begin(SimCloud cloud, SimCloud.Fleet fleet, LaunchConfiguration launch, RolloutPolicy policy,
                                  String refreshId) {
        // the group's last refresh, if it has ended, is forgotten (looked up by the group, not by a scan of all
        // refreshes: rolling thousands of fleets must not cost a scan each)
        SimCloud.Refresh last = fleet.refresh;
        if (last != null && !last.inProgress() && last.concerns(fleet.id) && cloud.refreshes.get(last.id) == last) {
            cloud.refreshes.remove(last.id);
        }
        SimCloud.Refresh r = new SimCloud.Refresh();
        r.id = refreshId;
        r.fleetId = fleet.id;
        r.policy = policy;
        r.target = launch;
        r.desired = fleet.desired;
        r.fromVersion = fleet.launchVersion;
        r.startedAt = cloud.clock;
        r.phase = Phase.START.name();
        r.lowest = fleet.healthyCount();
        r.highest = r.lowest;
        cloud.refreshes.put(r.id, r);
        fleet.refresh = r;
        return r;
    }

    /** Carries on {@code refresh}, which is under way, from its last checkpoint. */
    Rollout(SimCloud cloud, SimFaults faults, SimCloud.Refresh refresh, Address address, ProgressListener listener) {
        this.cloud = cloud;
        this.faults = faults;
        this.refresh = refresh;
        this.fleet = cloud.fleets.get(refresh.fleetId);
        this.green = refresh.greenId == null ? null : cloud.fleets.get(refresh.greenId);
        this.address = address;
        this.policy = refresh.policy;
        this.listener = listener;
        this.desired = refresh.desired;
        this.sizing = RolloutSizing.of(policy, desired);
        this.now = cloud.clock;
        this.timeline = new RolloutTimeline(address, policy, sizing, fleet.launch(refresh.fromVersion).imageId(),
                refresh.target.imageId());
        timeline.verifyPassedAt = refresh.verifiedAt;
    }

    RolloutTimeline timeline() {
        return timeline;
    }

    private Phase phase() {
        return Phase.valueOf(refresh.phase);
    }

    private void enter(Phase phase) {
        refresh.phase = phase.name();
    }

    /** Runs the refresh to its next checkpoint; false once it has ended. */
    boolean advance() {
        switch (phase()) {
            case START -> start();
            case BATCHES -> nextBatch();
            case FAILING -> handleFailure();
            case ROLLING_BACK -> nextRollbackBatch();
            case GREEN -> launchGreen();
            case VERIFY -> verify();
            case DRAIN -> drain();
            case DROP_GREEN -> dropGreen();
            case SWITCH_BACK -> switchBack();
            case ENDED -> {
            }
        }
        cloud.clock = now;
        return refresh.inProgress();
    }

    /**
     * imm asks for the refresh to be turned back (the configuration no longer wants its target): replaced
     * instances return to the previous launch version whatever {@code on_failure} says; a blue/green
     * rollout drops its new group, or, while draining, switches traffic back to the old one.
     */
    void requestRollback(String reason) {
        if (!refresh.inProgress()) {
            return;
        }
        refresh.rollbackRequested = true;
        refresh.failure = reason;
        switch (phase()) {
            case START -> {
                event("rollback asked for before the rollout changed anything: " + reason);
                end(RollResult.Outcome.ROLLED_BACK, fleet.id, reason);
            }
            case BATCHES -> enter(Phase.FAILING);
            case GREEN, VERIFY -> enter(Phase.DROP_GREEN);
            case DRAIN -> enter(Phase.SWITCH_BACK);
            default -> {
                // FAILING and ROLLING_BACK already end in the previous version (FAILING now rolls back)
            }
        }
        cloud.clock = now;
    }

    private void start() {
        if (healthy() < sizing.minHealthy()) {
            refresh.allowance = "the fleet had " + healthy() + " healthy instances of " + desired + " when the rollout started";
        }
        sample();
        if (policy.strategy() == RolloutPolicy.Strategy.BLUE_GREEN && desired > 0) {
            createGreen();
            return;
        }
        fleet.use(refresh.target);
        refresh.toVersion = fleet.launchVersion;
        List<SimCloud.Instance> old = fleet.instances.values().stream()
                .filter(i -> !(policy.skipMatching() && i.launchVersion == refresh.toVersion))
                .sorted(Comparator.comparingLong(i -> i.sequence))
                .toList();
        refresh.pending = old.stream().map(i -> i.id).collect(Collectors.toCollection(ArrayList::new));
        refresh.total = old.size();
        event("instance refresh " + refresh.id + " (" + policy.strategy().spelling() + "): replacing " + refresh.total + " of "
                + fleet.instances.size() + " instances with launch version " + refresh.toVersion + " (" + fleet.launch().imageId()
                + "), " + sizing.batch() + " at a time, at least " + sizing.minHealthy() + " healthy, at most "
                + sizing.maxRunning() + " running" + (sizing.forced() ? "; min_healthy and max_healthy leave no room for a"
                + " batch, so one instance at a time is replaced and healthy capacity dips below min_healthy" : ""));
        enter(Phase.BATCHES);
        Failure failure = alarms(0, refresh.total);
        if (failure != null) {
            fail(failure);
        } else if (refresh.total == 0) {
            succeeded(fleet.id);
        }
    }

    // ---- rolling and canary ----

    /** The next batch of the current step, or, once the step's instances are replaced, the step's end. */
    private void nextBatch() {
        int[] targets = RolloutSizing.stepTargets(policy, refresh.total);
        if (refresh.step >= targets.length) {
            succeeded(fleet.id);
            return;
        }
        int target = targets[refresh.step];
        if (refresh.replaced < target) {
            int size = Math.min(sizing.batch(), target - refresh.replaced);
            List<String> ids = new ArrayList<>(refresh.pending.subList(0, size));
            refresh.pending.subList(0, size).clear();
            List<SimCloud.Instance> victims = ids.stream().map(fleet.instances::get).filter(i -> i != null).toList();
            Failure failure = batch(victims, refresh.toVersion, true);
            if (failure == null) {
                refresh.replaced += size;
                failure = alarms(refresh.replaced, refresh.total);
            }
            if (failure != null) {
                fail(failure);
            } else if (refresh.replaced >= target && policy.strategy() != RolloutPolicy.Strategy.CANARY) {
                endStep(targets);
            }
            return;
        }
        if (policy.strategy() == RolloutPolicy.Strategy.CANARY) {
            boolean last = refresh.step == targets.length - 1;
            long wait = last ? policy.bakeTimeMillis() : policy.pauseMillis();
            event("step " + (refresh.step + 1) + "/" + targets.length + ": " + refresh.replaced + " of " + refresh.total
                    + " instances on launch version " + refresh.toVersion + (wait > 0 ? (last ? ", watching the fleet for "
                    : ", pausing for ") + Durations.format(wait) : ""));
            if (wait > 0) {
                listener.phase(address, ProgressListener.PAUSE, now, now + wait, (last ? "bake_time " : "pause ")
                        + Durations.format(wait) + " after step " + (refresh.step + 1) + "/" + targets.length);
            }
            now += wait;
        }
        endStep(targets);
    }

    private void endStep(int[] targets) {
        refresh.step++;
        if (refresh.step >= targets.length) {
            succeeded(fleet.id);
        }
    }

    /** One batch: old instances stop (first as many as the surge does not cover), new ones start and warm up. */
    private Failure batch(List<SimCloud.Instance> victims, int version, boolean watched) {
        int size = victims.size();
        List<SimCloud.Instance> first = victims.subList(0, sizing.terminatedFirst(size));
        List<SimCloud.Instance> later = victims.subList(sizing.terminatedFirst(size), size);
        if (sizing.forced() && !first.isEmpty()) {
            refresh.allowance = "min_healthy " + policy.minHealthy().toPlainString() + "% and max_healthy "
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

    private void createGreen() {
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
        green.use(refresh.target);
        green.standby = true;
        refresh.greenId = green.id;
        refresh.toVersion = green.launchVersion;
        cloud.fleets.put(green.id, green);
        green.refresh = refresh;
        event("blue/green " + refresh.id + ": creating group " + green.id + " with " + desired + " instances of "
                + refresh.target.imageId() + ", out of traffic; " + fleet.id + " keeps serving");
        enter(Phase.GREEN);
    }

    private void launchGreen() {
        Failure failure = launchAndWait(green, refresh.toVersion, desired - green.instances.size(), true);
        if (failure == null || policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
            failure = alarms(desired, desired);
        }
        if (failure != null && policy.onFailure() != RolloutPolicy.OnFailure.CONTINUE) {
            refresh.failure = failure.reason();
            enter(Phase.DROP_GREEN);
        } else {
            enter(Phase.VERIFY);
        }
    }

    private void verify() {
        event("verifying " + green.id + " for " + Durations.format(policy.verifyMillis()) + " before it gets traffic");
        listener.phase(address, ProgressListener.VERIFY, now, now + policy.verifyMillis(), "verify "
                + Durations.format(policy.verifyMillis()) + ", out of traffic");
        now += policy.verifyMillis();
        refresh.verifiedAt = now;
        timeline.verifyPassedAt = now;
        green.targetGroups = new ArrayList<>(fleet.targetGroups);
        fleet.targetGroups = new ArrayList<>();
        green.standby = false;
        fleet.standby = true;
        sample();
        event("verify passed; traffic switched to " + green.id + "; " + fleet.id + " stays ready for "
                + Durations.format(policy.drainMillis()) + " to switch back at once");
        enter(Phase.DRAIN);
    }

    private void drain() {
        listener.phase(address, ProgressListener.DRAIN, now, now + policy.drainMillis(), "drain "
                + Durations.format(policy.drainMillis()) + ", old group kept ready");
        now += policy.drainMillis();
        event("drain over: deleting " + fleet.id + " (" + fleet.instances.size() + " instances)");
        fleet.instances.clear();
        now += SimProvider.INSTANCE_TERMINATION_MILLIS;
        cloud.fleets.remove(fleet.id);
        sample();
        refresh.replaced = desired;
        succeeded(green.id);
    }

    /** A blue/green rollout turned back before traffic moved: the new group goes, the old one never stopped serving. */
    private void dropGreen() {
        rollbackFrom = now;
        event(failureText() + "; deleting " + green.id + ", " + fleet.id + " kept serving");
        deleteGreen();
    }

    /** A blue/green rollout turned back while draining: the old group, kept ready, takes the traffic again. */
    private void switchBack() {
        rollbackFrom = now;
        fleet.targetGroups = new ArrayList<>(green.targetGroups);
        green.targetGroups = new ArrayList<>();
        fleet.standby = false;
        green.standby = true;
        sample();
        event(failureText() + "; traffic switched back to " + fleet.id + ", which was kept ready; deleting " + green.id);
        deleteGreen();
    }

    private void deleteGreen() {
        green.instances.clear();
        now += SimProvider.INSTANCE_TERMINATION_MILLIS;
        cloud.fleets.remove(green.id);
        green = null;
        sample();
        event("rolled back: every instance of " + fleet.id + " runs " + fleet.launch().imageId() + " ("
                + Durations.format(now - refresh.startedAt) + ")");
        refresh.replaced = 0;
        end(RollResult.Outcome.ROLLED_BACK, fleet.id, refresh.failure);
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
                    fault("step timed out: " + reason);
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
                fault(instance.id + " died while booting");
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
                    fault(reason);
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
            if (refresh.firedAlarms.contains(alarm.alarm())) {
                continue;
            }
            boolean reached = total == 0 ? done == 0 && alarm.at().signum() == 0
                    : BigDecimal.valueOf(done * 100L).compareTo(alarm.at().multiply(BigDecimal.valueOf(total))) >= 0;
            if (!reached) {
                continue;
            }
            refresh.firedAlarms.add(alarm.alarm());
            String reason = "alarm \"" + alarm.alarm() + "\" fired at " + done + " of " + total + " instances replaced (injected at "
                    + alarm.at().toPlainString() + "%)";
            if (!policy.alarms().contains(alarm.alarm())) {
                event(reason + "; this rollout does not watch it");
            } else if (policy.onFailure() == RolloutPolicy.OnFailure.CONTINUE) {
                goOnDespite(reason);
            } else {
                event(reason);
                fault(reason);
                return new Failure(reason);
            }
        }
        return null;
    }

    // ---- failures ----

    /** {@code on_failure = "continue"}: the failure is reported and the rollout goes on. */
    private void goOnDespite(String reason) {
        refresh.wentOnDespite.add(reason);
        refresh.continuing = true;
        refresh.allowance = "on_failure = \"continue\": the rollout went on after a failure (" + reason + ")";
        event(reason + "; going on (on_failure = \"continue\")");
        fault(reason);
        sample();
    }

    private void fail(Failure failure) {
        refresh.failure = failure.reason();
        enter(Phase.FAILING);
    }

    private String failureText() {
        return (refresh.rollbackRequested ? "rolling back as imm asked: " : "rollout failed: ") + refresh.failure;
    }

    /**
     * New instances that are not healthy go, a batch that launched ahead gives back its surplus, and the
     * fleet is filled up again on the previous launch version; then it pauses, or rolls back.
     */
    private void handleFailure() {
        boolean rollback = refresh.rollbackRequested || policy.onFailure() == RolloutPolicy.OnFailure.ROLLBACK;
        if (rollback) {
            rollbackFrom = now;
        }
        int from = refresh.fromVersion;
        int to = refresh.toVersion;
        event(failureText() + (rollback ? "; rolling back to launch version " + from + " (" + fleet.launch(from).imageId() + ")"
                : "; pausing with " + refresh.replaced + " instances replaced"));
        terminate(fleet, fleet.instances.values().stream().filter(i -> i.launchVersion == to && !i.healthy).toList());
        // a batch that failed after launching ahead still has the old instances it was to replace: scale in
        int surplus = fleet.instances.size() - desired;
        if (surplus > 0) {
            terminate(fleet, fleet.instances.values().stream()
                    .sorted(Comparator.comparing((SimCloud.Instance i) -> i.launchVersion == to).reversed()
                            .thenComparing(Comparator.comparingLong((SimCloud.Instance i) -> i.sequence).reversed()))
                    .limit(surplus).toList());
        }
        fleet.launchVersion = from;
        Failure again = launchAndWait(fleet, from, desired - fleet.instances.size(), false);
        if (!rollback) {
            if (again != null) {
                end(RollResult.Outcome.FAILED, fleet.id, refresh.failure + "; then " + again.reason());
                return;
            }
            event("paused: " + refresh.replaced + " instances on launch version " + to + ", the others on " + from
                    + "; the next apply decides");
            end(RollResult.Outcome.PAUSED, fleet.id, refresh.failure);
        } else if (again != null) {
            rollbackFailed(again);
        } else {
            enter(Phase.ROLLING_BACK);
        }
    }

    private void nextRollbackBatch() {
        int from = refresh.fromVersion;
        List<SimCloud.Instance> back = fleet.instances.values().stream().filter(i -> i.launchVersion != from)
                .sorted(Comparator.comparingLong(i -> i.sequence)).toList();
        if (back.isEmpty()) {
            event("rolled back: every instance runs " + fleet.launch().imageId() + " again ("
                    + Durations.format(now - refresh.startedAt) + ")");
            end(RollResult.Outcome.ROLLED_BACK, fleet.id, refresh.failure);
            return;
        }
        Failure again = batch(new ArrayList<>(back.subList(0, Math.min(sizing.batch(), back.size()))), from, false);
        if (again != null) {
            rollbackFailed(again);
        }
    }

    private void rollbackFailed(Failure again) {
        event("rollback failed: " + again.reason());
        end(RollResult.Outcome.FAILED, fleet.id, refresh.failure + "; the rollback failed too: " + again.reason());
    }

    private void succeeded(String fleetId) {
        String despite = String.join("; ", refresh.wentOnDespite);
        event("instance refresh " + refresh.id + " succeeded: " + refresh.replaced + " replaced in "
                + Durations.format(now - refresh.startedAt) + ", healthy capacity between "
                + RolloutSizing.capacity(refresh.lowest, desired).toPlainString() + "% and "
                + RolloutSizing.capacity(refresh.highest, desired).toPlainString() + "%"
                + (despite.isEmpty() ? "" : "; went on despite: " + despite));
        end(RollResult.Outcome.SUCCEEDED, fleetId, despite);
    }

    private void end(RollResult.Outcome outcome, String fleetId, String reason) {
        refresh.outcome = outcome;
        refresh.resultFleetId = fleetId;
        refresh.reason = reason;
        refresh.endedAt = now;
        if (rollbackFrom != null) {
            listener.phase(address, ProgressListener.ROLLBACK, rollbackFrom, now,
                    outcome == RollResult.Outcome.ROLLED_BACK ? "rolled back" : "rollback failed");
        }
        enter(Phase.ENDED);
        SimCloud.Fleet serving = green != null && !green.standby ? green : fleet;
        timeline.imagesAfter = serving.instances.values().stream().map(i -> i.imageId).sorted().toList();
        timeline.result = result(refresh);
    }

    /** How an ended refresh ended. */
    static RollResult result(SimCloud.Refresh r) {
        return new RollResult(r.outcome, r.resultFleetId, r.reason, r.endedAt - r.startedAt, r.replaced,
                RolloutSizing.capacity(r.lowest, r.desired), RolloutSizing.capacity(r.highest, r.desired));
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
        refresh.lowest = Math.min(refresh.lowest, healthy);
        refresh.highest = Math.max(refresh.highest, healthy);
        if (healthy >= sizing.minHealthy() && !refresh.continuing) {
            refresh.allowance = null;
        }
        int running = fleet.instances.size() + (green == null ? 0 : green.instances.size());
        int servingNew;
        if (green != null) {
            servingNew = green.standby ? 0 : green.healthyCount();
        } else {
            int to = refresh.toVersion;
            servingNew = (int) fleet.instances.values().stream().filter(i -> i.healthy && i.launchVersion == to
                    && to != refresh.fromVersion).count();
        }
        timeline.samples.add(new RolloutTimeline.Sample(now, healthy, running, servingNew,
                healthy < sizing.minHealthy() ? refresh.allowance : null));
        tell();
    }

    /** Tells the listener the fleet's capacity now. */
    private void tell() {
        int running = fleet.instances.size() + (green == null ? 0 : green.instances.size());
        listener.capacity(address, now, new dev.imm.provider.CapacitySample(healthy(), running, desired, sizing.minHealthy(),
                sizing.maxRunning()));
    }

    /** A fault struck now. */
    private void fault(String what) {
        listener.phase(address, ProgressListener.FAULT, now, now, what);
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
