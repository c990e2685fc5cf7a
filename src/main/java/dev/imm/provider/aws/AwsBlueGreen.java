package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import dev.imm.value.Durations;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeListenersRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetGroupsRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ForwardActionConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ModifyListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Blue/green rollouts through ELBv2, with two target groups that take turns: the one the fleet declares
 * (a listener forwards to it) and its partner, which imm makes once by copying the declared one's
 * protocol, port, VPC and health check ({@link AwsNames#partnerTargetGroup}). A rollout creates a second
 * group on the new launch template version, registered in whichever of the two is idle; waits until all
 * its instances are in service and healthy in that target group; verifies for the policy's
 * {@code verify} time; switches every listener that forwards to the fleet with one ModifyListener
 * (weighted forward: the new target group 1, the old 0); drains for {@code drain}; and deletes the old
 * group. Until the old group is deleted, switching back is one listener change. The old group carries
 * {@code imm:rolling} naming the new one, so a rollout left under way is found and carried on or turned
 * back by the next apply.
 */
final class AwsBlueGreen {
    private final AwsSession session;
    private final AwsFleets fleets;

    AwsBlueGreen(AwsSession session, AwsFleets fleets) {
        this.session = session;
        this.fleets = fleets;
    }

    /** The listeners that forward to a fleet, and the two target groups that take turns behind them. */
    private record Traffic(String declared, String partner, List<Listener> listeners) {
        String other(String serving) {
            return serving.equals(declared) ? partner : declared;
        }
    }

    RollResult roll(RollRequest request, AutoScalingGroup blue, Address address, ProgressListener listener) throws ProviderException {
        FleetRequest fleet = request.fleet();
        if (fleet.targetGroups().size() != 1) {
            throw new ProviderException("a blue/green rollout of " + address + " on AWS needs exactly one target group (the one"
                    + " a load balancer's listener forwards to); it has " + fleet.targetGroups().size(), false);
        }
        Traffic traffic = traffic(fleet.stack(), fleet.targetGroups().get(0));
        String serving = serving(blue);
        String idle = traffic.other(serving);
        if (weightOf(traffic.listeners(), idle) < 0) {
            // ELB health-checks only target groups that a listener forwards to: weight 0 adds the idle one
            // to the forward action without sending it traffic, so the new group's targets can be healthy
            route(traffic, serving, idle);
        }
        AwsFleets.Version version = fleets.version(fleet.stack(), address, request.launch(), fleet.userData());
        String green = AwsNames.group(fleet.stack(), address, version.number());
        if (green.equals(blue.autoScalingGroupName())) {
            green = green + "-" + Long.toString(session.clock().now(), 36);
        }
        String rollId = AwsRollIds.blueGreen(blue.autoScalingGroupName(), green);
        fleets.tag(blue.autoScalingGroupName(), AwsTags.ROLLING, rollId);
        listener.started(address, new OperationHandle("roll", rollId));
        long start = session.clock().now();
        Map<String, String> extra = new TreeMap<>();
        extra.put(AwsTags.GREEN_OF, blue.autoScalingGroupName());
        extra.put(AwsTags.TIMINGS, request.policy().verifyMillis() + "," + request.policy().drainMillis());
        if (!idle.equals(traffic.declared())) {
            extra.put(AwsTags.SERVES, traffic.declared());
        }
        FleetRequest sized = new FleetRequest(fleet.stack(), address, request.launch(), fleet.min(), fleet.max(),
                Math.max(fleet.desired(), blue.desiredCapacity()), fleet.targetGroups(), fleet.tags(), fleet.health(), fleet.userData());
        try {
            fleets.createGroup(sized, version, green, List.of(idle), extra, listener, request.policy().stepTimeoutMillis());
        } catch (ProviderException e) {
            if (e.createdId() == null) {
                throw e;
            }
            return dropGreen(rollId, address, listener, start, "the new group " + green + " did not become healthy: " + e.getMessage());
        }
        return carryOn(rollId, request.policy(), traffic, address, listener, start);
    }

    /**
     * Carries on a rollout under way from wherever it is: waiting, verifying, switching or draining, with
     * the verify and drain times it started with (kept on the new group).
     */
    RollResult await(String rollId, String stack, List<String> declared, Address address, ProgressListener listener)
            throws ProviderException {
        long start = session.clock().now();
        Optional<AutoScalingGroup> green = fleets.describe(AwsRollIds.greenGroup(rollId));
        Optional<AutoScalingGroup> blue = fleets.describe(AwsRollIds.group(rollId));
        if (green.isEmpty()) {
            blue.ifPresent(b -> untagQuietly(b.autoScalingGroupName()));
            return new RollResult(RollResult.Outcome.ROLLED_BACK, AwsRollIds.group(rollId),
                    "the new group " + AwsRollIds.greenGroup(rollId) + " is gone", 0, 0, null, null);
        }
        if (blue.isEmpty()) {
            fleets.untag(green.get().autoScalingGroupName(), AwsTags.GREEN_OF, AwsTags.TIMINGS);
            return succeeded(green.get(), start);
        }
        listener.event(address, start, "blue/green rollout " + rollId + " was under way: carrying it on");
        RolloutPolicy policy = resumed(green.get(), address);
        String unhealthy = fleets.awaitCapacity(green.get().autoScalingGroupName(), blue.get().desiredCapacity(), address,
                listener, policy.stepTimeoutMillis());
        if (unhealthy != null) {
            return dropGreen(rollId, address, listener, start, unhealthy);
        }
        return carryOn(rollId, policy, traffic(stack, declared.isEmpty() ? serving(blue.get()) : declared.get(0)), address,
                listener, start);
    }

    /** The policy a rollout started with, as far as carrying it on needs: its verify and drain times. */
    private static RolloutPolicy resumed(AutoScalingGroup green, Address address) {
        RolloutPolicy defaults = RolloutPolicy.defaults(address, null);
        String[] timings = AwsReader.tags(green.tags()).getOrDefault(AwsTags.TIMINGS, "").split(",");
        long verify = defaults.verifyMillis();
        long drain = defaults.drainMillis();
        if (timings.length == 2 && timings[0].matches("\\d+") && timings[1].matches("\\d+")) {
            verify = Long.parseLong(timings[0]);
            drain = Long.parseLong(timings[1]);
        }
        return new RolloutPolicy(address, RolloutPolicy.Strategy.BLUE_GREEN, defaults.minHealthy(), defaults.maxHealthy(),
                defaults.warmupMillis(), defaults.onFailure(), List.of(), 0, List.of(), 0, verify, drain,
                defaults.stepTimeoutMillis(), false, null);
    }

    /** Verify, switch, drain, delete the old group. */
    private RollResult carryOn(String rollId, RolloutPolicy policy, Traffic traffic, Address address, ProgressListener listener,
                               long start) throws ProviderException {
        String blueName = AwsRollIds.group(rollId);
        String greenName = AwsRollIds.greenGroup(rollId);
        AutoScalingGroup green = fleets.require(greenName);
        String newTarget = serving(green);
        String oldTarget = traffic.other(newTarget);
        boolean switched = weightOf(traffic.listeners(), newTarget) > 0;
        if (!switched) {
            listener.event(address, session.clock().now(), "verifying " + greenName + " for " + Durations.format(policy.verifyMillis()));
            waitFor(policy.verifyMillis(), "the verification of " + greenName);
            String unhealthy = unhealthy(greenName, newTarget, green.desiredCapacity());
            if (unhealthy != null) {
                return dropGreen(rollId, address, listener, start, "verification of " + greenName + " failed: " + unhealthy);
            }
            route(traffic, newTarget, oldTarget);
            listener.event(address, session.clock().now(), "traffic switched to " + greenName + " (" + name(newTarget) + ")");
        }
        listener.event(address, session.clock().now(), "draining " + blueName + " for " + Durations.format(policy.drainMillis()));
        waitFor(policy.drainMillis(), "the drain of " + blueName);
        fleets.deleteGroup(blueName, address, listener);
        fleets.untag(greenName, AwsTags.GREEN_OF, AwsTags.TIMINGS);
        return succeeded(fleets.require(greenName), start);
    }

    /** Turns a rollout under way back: traffic to the old group if it was switched, then the new group deleted. */
    RollResult rollBack(String rollId, String reason, String stack, List<String> declared, Address address,
                        ProgressListener listener) throws ProviderException {
        long start = session.clock().now();
        Optional<AutoScalingGroup> blue = fleets.describe(AwsRollIds.group(rollId));
        Optional<AutoScalingGroup> green = fleets.describe(AwsRollIds.greenGroup(rollId));
        if (blue.isEmpty()) {
            if (green.isPresent()) {
                fleets.untag(green.get().autoScalingGroupName(), AwsTags.GREEN_OF, AwsTags.TIMINGS);
                return succeeded(green.get(), start);
            }
            throw new ProviderException("neither group of blue/green rollout " + rollId + " exists", false);
        }
        if (green.isPresent()) {
            Traffic traffic = traffic(stack, declared.isEmpty() ? serving(blue.get()) : declared.get(0));
            String oldTarget = serving(blue.get());
            if (weightOf(traffic.listeners(), traffic.other(oldTarget)) > 0) {
                route(traffic, oldTarget, traffic.other(oldTarget));
                listener.event(address, session.clock().now(), "traffic switched back to " + blue.get().autoScalingGroupName());
            }
        }
        return dropGreen(rollId, address, listener, start, reason);
    }

    private RollResult dropGreen(String rollId, Address address, ProgressListener listener, long start, String reason)
            throws ProviderException {
        String blue = AwsRollIds.group(rollId);
        listener.event(address, session.clock().now(), "rolling back: " + reason);
        fleets.deleteGroup(AwsRollIds.greenGroup(rollId), address, listener);
        fleets.untag(blue, AwsTags.ROLLING);
        return new RollResult(RollResult.Outcome.ROLLED_BACK, blue, reason, session.clock().now() - start, 0,
                BigDecimal.valueOf(100), BigDecimal.valueOf(100));
    }

    private RollResult succeeded(AutoScalingGroup green, long start) {
        return new RollResult(RollResult.Outcome.SUCCEEDED, green.autoScalingGroupName(), "", session.clock().now() - start,
                green.desiredCapacity(), BigDecimal.valueOf(100), BigDecimal.valueOf(200));
    }

    private void untagQuietly(String group) {
        try {
            fleets.untag(group, AwsTags.ROLLING);
        } catch (ProviderException ignored) {
            // the next rollout overwrites the tag
        }
    }

    private void waitFor(long millis, String what) throws ProviderException {
        long until = session.clock().now() + millis;
        while (session.clock().now() < until) {
            if (!session.clock().sleep(Math.min(session.pollMillis(), Math.max(1, until - session.clock().now())))) {
                throw new ProviderException("interrupted while waiting for " + what, false);
            }
        }
    }

    /** Why the group is not all healthy in its target group, or null. */
    private String unhealthy(String group, String targetGroup, int desired) throws ProviderException {
        AutoScalingGroup g = fleets.require(group);
        Set<String> ids = g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())
                && "Healthy".equalsIgnoreCase(i.healthStatus())).map(i -> i.instanceId()).collect(Collectors.toSet());
        if (ids.size() < desired) {
            return ids.size() + " of " + desired + " instances healthy";
        }
        var health = AwsErrors.call("elasticloadbalancing:DescribeTargetHealth", () -> session.aws().elb.describeTargetHealth(
                DescribeTargetHealthRequest.builder().targetGroupArn(targetGroup).build()).targetHealthDescriptions());
        long healthy = health.stream().filter(h -> ids.contains(h.target().id()) && h.targetHealth() != null
                && "healthy".equals(h.targetHealth().stateAsString())).count();
        return healthy >= desired ? null : healthy + " of " + desired + " targets healthy in " + name(targetGroup);
    }

    /** The target group a group is registered in (the first, for a blue/green fleet has one). */
    private static String serving(AutoScalingGroup g) throws ProviderException {
        if (g.targetGroupARNs().isEmpty()) {
            throw new ProviderException("group " + g.autoScalingGroupName() + " is in no target group; a blue/green rollout"
                    + " switches traffic between target groups", false);
        }
        return g.targetGroupARNs().get(0);
    }

    /** The declared target group, its partner (made now when missing), and the listeners forwarding to either. */
    private Traffic traffic(String stack, String declaredArn) throws ProviderException {
        List<TargetGroup> found = targetGroups(DescribeTargetGroupsRequest.builder().targetGroupArns(declaredArn).build());
        if (found.isEmpty()) {
            throw new ProviderException("target group " + declaredArn + " does not exist", false);
        }
        TargetGroup declared = found.get(0);
        if (!"instance".equals(declared.targetTypeAsString())) {
            throw new ProviderException("target group " + name(declared.targetGroupArn()) + " has target type "
                    + declared.targetTypeAsString() + "; Auto Scaling groups register instances, so blue/green needs target type"
                    + " instance", false);
        }
        requireApplicationLoadBalancers(declared);
        String declaredTag = declared.targetGroupArn();
        String partnerName = AwsNames.partnerTargetGroup(declared.targetGroupArn());
        List<TargetGroup> partners = targetGroups(DescribeTargetGroupsRequest.builder().names(partnerName).build());
        String partner;
        if (!partners.isEmpty()) {
            partner = partners.get(0).targetGroupArn();
        } else {
            CreateTargetGroupRequest.Builder create = CreateTargetGroupRequest.builder().name(partnerName)
                    .protocol(declared.protocol()).port(declared.port()).vpcId(declared.vpcId())
                    .targetType(declared.targetType())
                    .protocolVersion(declared.protocolVersion())
                    .ipAddressType(declared.ipAddressType())
                    .healthCheckEnabled(declared.healthCheckEnabled())
                    .healthCheckProtocol(declared.healthCheckProtocol()).healthCheckPort(declared.healthCheckPort())
                    .healthCheckPath(declared.healthCheckPath())
                    .healthCheckIntervalSeconds(declared.healthCheckIntervalSeconds())
                    .healthCheckTimeoutSeconds(declared.healthCheckTimeoutSeconds())
                    .healthyThresholdCount(declared.healthyThresholdCount())
                    .unhealthyThresholdCount(declared.unhealthyThresholdCount())
                    .matcher(declared.matcher())
                    .tags(Tag.builder().key(AwsTags.STACK).value(stack).build(),
                            Tag.builder().key(AwsTags.PARTNER_OF).value(declaredTag).build());
            partner = AwsErrors.call("elasticloadbalancing:CreateTargetGroup",
                    () -> session.aws().elb.createTargetGroup(create.build()).targetGroups().get(0).targetGroupArn());
            copyAttributes(declared.targetGroupArn(), partner);
        }
        List<Listener> listeners = new ArrayList<>();
        for (String lb : declared.loadBalancerArns()) {
            AwsErrors.run("elasticloadbalancing:DescribeListeners", () -> session.aws().elb.describeListenersPaginator(
                    DescribeListenersRequest.builder().loadBalancerArn(lb).build()).listeners().forEach(l -> {
                        if (forwardsTo(l, declared.targetGroupArn()) || forwardsTo(l, partner)) {
                            listeners.add(l);
                        }
                    }));
        }
        if (listeners.isEmpty()) {
            throw new ProviderException("no load balancer listener forwards to target group " + name(declared.targetGroupArn())
                    + "; a blue/green rollout switches a listener's forward action", false);
        }
        for (Listener l : listeners) {
            requireNoRuleForwardingTo(l, declared.targetGroupArn(), partner);
        }
        return new Traffic(declared.targetGroupArn(), partner, listeners);
    }

    /** A weighted forward to two target groups is for Application Load Balancers only. */
    private void requireApplicationLoadBalancers(TargetGroup declared) throws ProviderException {
        if (declared.loadBalancerArns().isEmpty()) {
            return;
        }
        var balancers = AwsErrors.call("elasticloadbalancing:DescribeLoadBalancers", () -> session.aws().elb.describeLoadBalancers(
                b -> b.loadBalancerArns(declared.loadBalancerArns())).loadBalancers());
        for (var lb : balancers) {
            if (lb.type() != LoadBalancerTypeEnum.APPLICATION) {
                throw new ProviderException("load balancer " + lb.loadBalancerName() + " is a " + lb.typeAsString()
                        + " load balancer; a blue/green rollout switches traffic with a weighted forward between two target groups,"
                        + " which only Application Load Balancers have (use the rolling or canary strategy)", false);
            }
        }
    }

    /**
     * imm switches a listener's default action; a rule that forwards to the fleet's target groups would
     * keep sending traffic to the old group, and then to nothing, so it is refused before anything changes.
     */
    private void requireNoRuleForwardingTo(Listener l, String declared, String partner) throws ProviderException {
        List<Rule> rules = new ArrayList<>();
        AwsErrors.run("elasticloadbalancing:DescribeRules", () -> rules.addAll(session.aws().elb.describeRules(
                b -> b.listenerArn(l.listenerArn())).rules()));
        for (Rule rule : rules) {
            if (Boolean.TRUE.equals(rule.isDefault())) {
                continue;
            }
            Listener asListener = Listener.builder().defaultActions(rule.actions()).build();
            if (weightOf(List.of(asListener), declared) >= 0 || weightOf(List.of(asListener), partner) >= 0) {
                throw new ProviderException("listener rule " + rule.ruleArn() + " (priority " + rule.priority() + ") forwards to "
                        + name(declared) + "; imm switches a listener's default action only, so blue/green needs the fleet's"
                        + " target group in no other rule", false);
            }
        }
    }

    /** The settings of a target group that change how it serves (deregistration delay, stickiness, slow start, algorithm). */
    private static final java.util.Set<String> COPIED_ATTRIBUTES = java.util.Set.of("deregistration_delay.timeout_seconds",
            "slow_start.duration_seconds", "load_balancing.algorithm.type", "stickiness.enabled", "stickiness.type",
            "stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.cookie_name", "stickiness.app_cookie.duration_seconds");

    private void copyAttributes(String from, String to) throws ProviderException {
        var attributes = AwsErrors.call("elasticloadbalancing:DescribeTargetGroupAttributes", () -> session.aws().elb
                .describeTargetGroupAttributes(b -> b.targetGroupArn(from)).attributes()).stream()
                .filter(a -> COPIED_ATTRIBUTES.contains(a.key()) && a.value() != null && !a.value().isEmpty()).toList();
        if (!attributes.isEmpty()) {
            AwsErrors.run("elasticloadbalancing:ModifyTargetGroupAttributes", () -> session.aws().elb.modifyTargetGroupAttributes(
                    b -> b.targetGroupArn(to).attributes(attributes)));
        }
    }

    private List<TargetGroup> targetGroups(DescribeTargetGroupsRequest request) throws ProviderException {
        try {
            return AwsErrors.call("elasticloadbalancing:DescribeTargetGroups",
                    () -> session.aws().elb.describeTargetGroups(request).targetGroups());
        } catch (ProviderException e) {
            if (e.getCause() instanceof TargetGroupNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private static boolean forwardsTo(Listener l, String targetGroup) {
        return weightOf(List.of(l), targetGroup) >= 0;
    }

    /** The weight the listeners give a target group in their forward actions: -1 when none names it. */
    private static int weightOf(List<Listener> listeners, String targetGroup) {
        int weight = -1;
        for (Listener l : listeners) {
            for (Action a : l.defaultActions()) {
                if (a.type() != ActionTypeEnum.FORWARD) {
                    continue;
                }
                if (a.forwardConfig() != null && a.forwardConfig().hasTargetGroups() && !a.forwardConfig().targetGroups().isEmpty()) {
                    for (TargetGroupTuple t : a.forwardConfig().targetGroups()) {
                        if (targetGroup.equals(t.targetGroupArn())) {
                            weight = Math.max(weight, t.weight() == null ? 1 : t.weight());
                        }
                    }
                } else if (targetGroup.equals(a.targetGroupArn())) {
                    weight = Math.max(weight, 1);
                }
            }
        }
        return weight;
    }

    /** Every listener forwards to {@code to} (weight 1), keeping {@code from} at weight 0 for a quick way back. */
    private void route(Traffic traffic, String to, String from) throws ProviderException {
        for (Listener l : traffic.listeners()) {
            List<Action> actions = new ArrayList<>();
            boolean replaced = false;
            for (Action a : l.defaultActions()) {
                if (a.type() == ActionTypeEnum.FORWARD && !replaced) {
                    ForwardActionConfig.Builder config = ForwardActionConfig.builder().targetGroups(
                            TargetGroupTuple.builder().targetGroupArn(to).weight(1).build(),
                            TargetGroupTuple.builder().targetGroupArn(from).weight(0).build());
                    if (a.forwardConfig() != null && a.forwardConfig().targetGroupStickinessConfig() != null) {
                        config.targetGroupStickinessConfig(a.forwardConfig().targetGroupStickinessConfig());
                    }
                    actions.add(Action.builder().type(ActionTypeEnum.FORWARD).order(a.order()).forwardConfig(config.build()).build());
                    replaced = true;
                } else if (a.type() == ActionTypeEnum.AUTHENTICATE_OIDC && a.authenticateOidcConfig() != null) {
                    // DescribeListeners does not return the client secret; ModifyListener keeps the one it has
                    actions.add(a.toBuilder().authenticateOidcConfig(a.authenticateOidcConfig().toBuilder()
                            .clientSecret(null).useExistingClientSecret(true).build()).build());
                } else if (a.type() != ActionTypeEnum.FORWARD) {
                    actions.add(a);
                }
            }
            AwsErrors.run("elasticloadbalancing:ModifyListener", () -> session.aws().elb.modifyListener(
                    ModifyListenerRequest.builder().listenerArn(l.listenerArn()).defaultActions(actions).build()));
        }
    }

    /** {@code targetgroup/web/0123…} of an ARN, for messages. */
    private static String name(String arn) {
        int at = arn.indexOf("targetgroup/");
        return at < 0 ? arn : arn.substring(at);
    }
}
