package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.autoscaling.model.AlarmSpecification;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.DesiredConfiguration;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.RefreshPreferences;
import software.amazon.awssdk.services.autoscaling.model.RefreshStrategy;
import software.amazon.awssdk.services.autoscaling.model.RollbackInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.StartInstanceRefreshRequest;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;

/**
 * Rolling and canary rollouts as Auto Scaling instance refreshes. The policy maps onto the refresh's
 * preferences: {@code min_healthy}/{@code max_healthy} to MinHealthyPercentage/MaxHealthyPercentage,
 * {@code warmup} to InstanceWarmup, canary {@code steps} to CheckpointPercentages with {@code pause} as
 * CheckpointDelay and {@code bake_time} as BakeTime, {@code skip_matching} to SkipMatching, {@code alarms}
 * to the AlarmSpecification, and {@code on_failure = "rollback"} to AutoRollback (Auto Scaling then turns
 * a failed refresh back itself; {@code pause} and {@code continue} leave the replaced instances where they
 * are: a refresh cannot go on past a failure). Progress comes from DescribeInstanceRefreshes.
 */
final class AwsRefreshes {
    private static final Set<String> UNDER_WAY = Set.of("Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking");
    private final AwsSession session;
    private final AwsFleets fleets;

    AwsRefreshes(AwsSession session, AwsFleets fleets) {
        this.session = session;
        this.fleets = fleets;
    }

    static boolean underWay(String status) {
        return status != null && UNDER_WAY.contains(status);
    }

    /** The refresh a policy asks for, to the launch template version given. */
    static StartInstanceRefreshRequest request(String group, AwsFleets.Version version, RolloutPolicy policy) {
        RefreshPreferences.Builder prefs = RefreshPreferences.builder()
                .minHealthyPercentage(percent(policy.minHealthy(), RoundingMode.CEILING, 0, 100))
                .maxHealthyPercentage(Math.max(100, Math.min(200, Math.min(percent(policy.maxHealthy(), RoundingMode.FLOOR, 100, 200),
                        percent(policy.minHealthy(), RoundingMode.CEILING, 0, 100) + 100))))
                .instanceWarmup((int) (policy.warmupMillis() / 1000))
                .skipMatching(policy.skipMatching())
                .autoRollback(policy.onFailure() == RolloutPolicy.OnFailure.ROLLBACK);
        if (policy.strategy() == RolloutPolicy.Strategy.CANARY && !policy.steps().isEmpty()) {
            List<Integer> checkpoints = new ArrayList<>();
            for (BigDecimal step : policy.steps()) {
                int p = percent(step, RoundingMode.CEILING, 1, 100);
                if (checkpoints.isEmpty() || p > checkpoints.get(checkpoints.size() - 1)) {
                    checkpoints.add(p);
                }
            }
            prefs.checkpointPercentages(checkpoints).checkpointDelay((int) (policy.pauseMillis() / 1000));
            if (policy.bakeTimeMillis() > 0) {
                prefs.bakeTime((int) (policy.bakeTimeMillis() / 1000));
            }
        }
        if (!policy.alarms().isEmpty()) {
            prefs.alarmSpecification(AlarmSpecification.builder().alarms(policy.alarms()).build());
        }
        return StartInstanceRefreshRequest.builder()
                .autoScalingGroupName(group)
                .strategy(RefreshStrategy.ROLLING)
                .desiredConfiguration(DesiredConfiguration.builder().launchTemplate(version.spec()).build())
                .preferences(prefs.build())
                .build();
    }

    private static int percent(BigDecimal value, RoundingMode rounding, int min, int max) {
        return Math.max(min, Math.min(max, value.setScale(0, rounding).intValue()));
    }

    RollResult roll(RollRequest request, AutoScalingGroup group, Address address, ProgressListener listener) throws ProviderException {
        String name = group.autoScalingGroupName();
        AwsFleets.Version version = fleets.version(request.fleet().stack(), address, request.launch(), request.fleet().userData());
        String subnets = String.join(",", request.launch().subnets());
        if (!request.launch().subnets().isEmpty() && !subnets.equals(group.vpcZoneIdentifier())) {
            AwsErrors.run("autoscaling:UpdateAutoScalingGroup", () -> session.aws().autoscaling.updateAutoScalingGroup(
                    UpdateAutoScalingGroupRequest.builder().autoScalingGroupName(name).vpcZoneIdentifier(subnets).build()));
        }
        fleets.tag(name, AwsTags.ROLLING, AwsRollIds.REFRESH);
        String refreshId = AwsErrors.call("autoscaling:StartInstanceRefresh",
                () -> session.aws().autoscaling.startInstanceRefresh(request(name, version, request.policy())).instanceRefreshId());
        String rollId = AwsRollIds.refresh(name, refreshId);
        fleets.tag(name, AwsTags.ROLLING, rollId);
        listener.started(address, new OperationHandle("roll", rollId));
        listener.event(address, session.clock().now(), "instance refresh " + refreshId + " started on " + name
                + " to launch template version " + version.number() + " (" + request.launch().imageId() + ")");
        return await(rollId, address, listener);
    }

    /** Turns the refresh back (RollbackInstanceRefresh) unless it has ended, then waits for it. */
    RollResult rollBack(String rollId, String reason, Address address, ProgressListener listener) throws ProviderException {
        InstanceRefresh refresh = describe(rollId);
        String status = refresh.statusAsString();
        if (underWay(status) && !"RollbackInProgress".equals(status) && !"Cancelling".equals(status)) {
            listener.event(address, session.clock().now(), "rolling back instance refresh " + refresh.instanceRefreshId() + ": " + reason);
            try {
                AwsErrors.run("autoscaling:RollbackInstanceRefresh", () -> session.aws().autoscaling.rollbackInstanceRefresh(
                        RollbackInstanceRefreshRequest.builder().autoScalingGroupName(AwsRollIds.group(rollId)).build()));
            } catch (ProviderException e) {
                if (!AwsErrors.code(e).equals("ActiveInstanceRefreshNotFound")) {
                    throw e;
                }
                // it ended between the look and the rollback: its own end is the answer
            }
        }
        return await(rollId, address, listener);
    }

    /** Polls the refresh until it ends, telling the listener each change of status or progress. */
    RollResult await(String rollId, Address address, ProgressListener listener) throws ProviderException {
        String group = AwsRollIds.group(rollId);
        long start = session.clock().now();
        String last = "";
        int desired = 0;
        BigDecimal lowest = null;
        BigDecimal highest = null;
        InstanceRefresh refresh;
        Long rollbackFrom = null;
        dev.imm.provider.CapacitySample told = null;
        while (true) {
            refresh = describe(rollId);
            AutoScalingGroup g = fleets.require(group);
            desired = g.desiredCapacity();
            long healthy = g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())
                    && "Healthy".equalsIgnoreCase(i.healthStatus())).count();
            dev.imm.provider.CapacitySample sample = capacity(refresh, (int) healthy, g.instances().size(), desired);
            if (!sample.equals(told)) {
                listener.capacity(address, session.clock().now(), sample);
                told = sample;
            }
            if (rollbackFrom == null && "RollbackInProgress".equals(refresh.statusAsString())) {
                rollbackFrom = session.clock().now();
                listener.phase(address, ProgressListener.FAULT, rollbackFrom, rollbackFrom, "instance refresh "
                        + refresh.instanceRefreshId() + " rolling back" + (refresh.statusReason() == null ? "" : ": "
                        + refresh.statusReason()));
            }
            BigDecimal share = desired == 0 ? BigDecimal.valueOf(100)
                    : BigDecimal.valueOf(healthy * 100).divide(BigDecimal.valueOf(desired), 1, RoundingMode.HALF_UP);
            lowest = lowest == null || share.compareTo(lowest) < 0 ? share : lowest;
            highest = highest == null || share.compareTo(highest) > 0 ? share : highest;
            String now = refresh.statusAsString() + " " + (refresh.percentageComplete() == null ? 0 : refresh.percentageComplete())
                    + "% (" + (refresh.instancesToUpdate() == null ? "?" : refresh.instancesToUpdate()) + " instances to update"
                    + (refresh.statusReason() == null || refresh.statusReason().isBlank() ? "" : "; " + refresh.statusReason()) + ")";
            if (!now.equals(last)) {
                listener.event(address, session.clock().now(), "instance refresh " + refresh.instanceRefreshId() + ": " + now
                        + ", " + healthy + "/" + desired + " healthy");
                last = now;
            }
            if (!underWay(refresh.statusAsString())) {
                break;
            }
            session.pause("instance refresh " + refresh.instanceRefreshId());
        }
        fleets.untag(group, AwsTags.ROLLING);
        if (rollbackFrom != null) {
            listener.phase(address, ProgressListener.ROLLBACK, rollbackFrom, session.clock().now(),
                    "RollbackSuccessful".equals(refresh.statusAsString()) ? "rolled back" : "rollback ended " + refresh.statusAsString());
        }
        String reason = refresh.statusReason() == null ? "" : refresh.statusReason();
        RollResult.Outcome outcome = switch (refresh.statusAsString()) {
            case "Successful" -> RollResult.Outcome.SUCCEEDED;
            case "RollbackSuccessful" -> RollResult.Outcome.ROLLED_BACK;
            case "Cancelled", "Failed" -> RollResult.Outcome.PAUSED;
            default -> RollResult.Outcome.FAILED;
        };
        if (outcome != RollResult.Outcome.SUCCEEDED && reason.isEmpty()) {
            reason = "instance refresh " + refresh.instanceRefreshId() + " ended " + refresh.statusAsString();
        }
        int toUpdate = refresh.instancesToUpdate() == null ? 0 : refresh.instancesToUpdate();
        int replaced = outcome == RollResult.Outcome.SUCCEEDED ? desired : Math.max(0, desired - toUpdate);
        return new RollResult(outcome, group, outcome == RollResult.Outcome.SUCCEEDED ? "" : reason,
                session.clock().now() - start, replaced, lowest, highest);
    }

    /** The group's capacity against the refresh's bounds (its preferences' percentages, in instances). */
    private static dev.imm.provider.CapacitySample capacity(InstanceRefresh refresh, int healthy, int running, int desired) {
        var preferences = refresh.preferences();
        int min = preferences == null || preferences.minHealthyPercentage() == null ? 90 : preferences.minHealthyPercentage();
        int max = preferences == null || preferences.maxHealthyPercentage() == null ? 100 : preferences.maxHealthyPercentage();
        return new dev.imm.provider.CapacitySample(healthy, running, desired, (desired * min + 99) / 100,
                Math.max(desired, desired * max / 100));
    }

    private InstanceRefresh describe(String rollId) throws ProviderException {
        String group = AwsRollIds.group(rollId);
        String id = AwsRollIds.last(rollId);
        var found = AwsErrors.call("autoscaling:DescribeInstanceRefreshes", () -> session.aws().autoscaling.describeInstanceRefreshes(
                DescribeInstanceRefreshesRequest.builder().autoScalingGroupName(group).instanceRefreshIds(id).build()).instanceRefreshes());
        if (found.isEmpty()) {
            throw new ProviderException("instance refresh " + id + " of group " + group + " does not exist", false);
        }
        return found.get(0);
    }
}
