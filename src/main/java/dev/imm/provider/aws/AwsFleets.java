package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.FleetSpec;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.autoscaling.model.AttachLoadBalancerTargetGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.CreateAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.CreateOrUpdateTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DeleteAutoScalingGroupRequest;
import software.amazon.awssdk.services.autoscaling.model.DeleteTagsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DetachLoadBalancerTargetGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.LaunchTemplateSpecification;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.autoscaling.model.UpdateAutoScalingGroupRequest;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateRequest;
import software.amazon.awssdk.services.ec2.model.CreateLaunchTemplateVersionRequest;
import software.amazon.awssdk.services.ec2.model.DeleteLaunchTemplateRequest;
import software.amazon.awssdk.services.ec2.model.DescribeAvailabilityZonesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplatesRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceMetadataOptionsRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * Fleets as Auto Scaling groups on launch templates. Each fleet has one launch template
 * ({@link AwsNames#fleetBase}); each launch configuration is a new version of it with the whole launch
 * data, and groups always name a version number (never {@code $Latest} or {@code $Default}), so that the
 * version a rollback returns to is exact. A group's name ends with the version it was created on
 * ({@code -v3}), which keeps the two groups of a blue/green rollout apart.
 */
final class AwsFleets {
    /** How long a new group may take to have its desired capacity healthy, after the health check grace. */
    static final long CAPACITY_TIMEOUT_MILLIS = 20 * 60_000;
    private final AwsSession session;

    AwsFleets(AwsSession session) {
        this.session = session;
    }

    private AwsClients aws() {
        return session.aws();
    }

    // ---- launch templates ----

    /** A launch template version: the template's id and the version number. */
    record Version(String templateId, long number) {
        LaunchTemplateSpecification spec() {
            return LaunchTemplateSpecification.builder().launchTemplateId(templateId).version(Long.toString(number)).build();
        }
    }

    /**
     * The version of the fleet's launch template that launches {@code launch} with {@code userData}: the
     * newest one that already does (a retried call makes no second version, and a rollback returns to the
     * exact version the fleet ran before), else a new one, creating the template on first use.
     */
    Version version(String stack, Address fleet, LaunchConfiguration launch, String userData) throws ProviderException {
        String name = AwsNames.fleetBase(stack, fleet);
        RequestLaunchTemplateData data = data(launch, userData);
        Optional<LaunchTemplate> existing = template(name);
        if (existing.isEmpty()) {
            var created = AwsErrors.call("ec2:CreateLaunchTemplate", () -> aws().ec2.createLaunchTemplate(
                    CreateLaunchTemplateRequest.builder().launchTemplateName(name).launchTemplateData(data)
                            .versionDescription(describe(launch))
                            .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.LAUNCH_TEMPLATE)
                                    .tags(ec2Tag(AwsTags.STACK, stack), ec2Tag(AwsTags.FLEET, fleet.toString())).build())
                            .build()).launchTemplate());
            return new Version(created.launchTemplateId(), created.latestVersionNumber());
        }
        LaunchTemplate template = existing.get();
        List<software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion> versions = new ArrayList<>();
        AwsErrors.run("ec2:DescribeLaunchTemplateVersions", () -> aws().ec2.describeLaunchTemplateVersionsPaginator(
                DescribeLaunchTemplateVersionsRequest.builder().launchTemplateId(template.launchTemplateId()).build())
                .launchTemplateVersions().forEach(versions::add));
        Optional<Long> same = versions.stream().filter(v -> launches(v.launchTemplateData(), launch, userData))
                .map(v -> v.versionNumber()).max(Long::compare);
        if (same.isPresent()) {
            return new Version(template.launchTemplateId(), same.get());
        }
        var version = AwsErrors.call("ec2:CreateLaunchTemplateVersion", () -> aws().ec2.createLaunchTemplateVersion(
                CreateLaunchTemplateVersionRequest.builder().launchTemplateId(template.launchTemplateId())
                        .versionDescription(describe(launch)).launchTemplateData(data).build()).launchTemplateVersion());
        return new Version(version.launchTemplateId(), version.versionNumber());
    }

    private Optional<LaunchTemplate> template(String name) throws ProviderException {
        try {
            return AwsErrors.call("ec2:DescribeLaunchTemplates", () -> aws().ec2.describeLaunchTemplates(
                    DescribeLaunchTemplatesRequest.builder().launchTemplateNames(name).build()).launchTemplates().stream().findFirst());
        } catch (ProviderException e) {
            if (e.getCause() instanceof AwsServiceException s && s.awsErrorDetails() != null
                    && String.valueOf(s.awsErrorDetails().errorCode()).startsWith("InvalidLaunchTemplateName.NotFound")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The whole launch data of a version: every version stands alone, none leans on another. */
    static RequestLaunchTemplateData data(LaunchConfiguration launch, String userData) {
        RequestLaunchTemplateData.Builder data = RequestLaunchTemplateData.builder()
                .imageId(launch.imageId())
                .instanceType(launch.instanceType())
                .metadataOptions(LaunchTemplateInstanceMetadataOptionsRequest.builder()
                        .httpTokens(LaunchTemplateHttpTokensState.REQUIRED).build());
        if (userData != null && !userData.isEmpty()) {
            data.userData(Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)));
        }
        if (!launch.securityGroups().isEmpty()) {
            data.securityGroupIds(launch.securityGroups());
        }
        if (!launch.iamProfile().isEmpty()) {
            var profile = LaunchTemplateIamInstanceProfileSpecificationRequest.builder();
            data.iamInstanceProfile(launch.iamProfile().startsWith("arn:") ? profile.arn(launch.iamProfile()).build()
                    : profile.name(launch.iamProfile()).build());
        }
        return data.build();
    }

    /** Whether a version's data launches this configuration (subnets belong to the group, not the template). */
    private static boolean launches(ResponseLaunchTemplateData data, LaunchConfiguration launch, String userData) {
        LaunchConfiguration has = AwsReader.launch(data, launch.subnets());
        String wantedUserData = userData == null || userData.isEmpty() ? "" : dev.imm.model.BakeInputs.sha256(userData);
        return has.imageId().equals(launch.imageId()) && has.instanceType().equals(launch.instanceType())
                && has.userDataSha256().equals(wantedUserData)
                && new TreeSet<>(has.securityGroups()).equals(new TreeSet<>(launch.securityGroups()))
                && has.iamProfile().equals(launch.iamProfile());
    }

    private static String describe(LaunchConfiguration launch) {
        return "imm: " + launch.imageId() + " " + launch.instanceType();
    }

    private static software.amazon.awssdk.services.ec2.model.Tag ec2Tag(String key, String value) {
        return software.amazon.awssdk.services.ec2.model.Tag.builder().key(key).value(value).build();
    }

    // ---- groups ----

    /**
     * Creates a group for the fleet on {@code version}, registered in {@code targetGroups}, with
     * {@code extraTags} beside the fleet's; an existing group of that name (a retried or resumed create)
     * is taken as it is. Waits until the desired capacity is in service and healthy.
     */
    LiveFleet createGroup(FleetRequest request, Version version, String name, List<String> targetGroups,
                          Map<String, String> extraTags, ProgressListener listener, long timeoutMillis) throws ProviderException {
        Address address = request.fleet();
        if (describe(name).isEmpty()) {
            CreateAutoScalingGroupRequest.Builder create = CreateAutoScalingGroupRequest.builder()
                    .autoScalingGroupName(name)
                    .launchTemplate(version.spec())
                    .minSize(request.min()).maxSize(request.max()).desiredCapacity(request.desired())
                    .targetGroupARNs(targetGroups)
                    .healthCheckType(healthType(request.health()))
                    .healthCheckGracePeriod((int) (health(request.health()).graceMillis() / 1000))
                    .tags(groupTags(request, extraTags));
            if (request.launch().subnets().isEmpty()) {
                create.availabilityZones(zones());
            } else {
                create.vpcZoneIdentifier(String.join(",", request.launch().subnets()));
            }
            AwsErrors.run("autoscaling:CreateAutoScalingGroup", () -> aws().autoscaling.createAutoScalingGroup(create.build()));
            listener.event(address, session.clock().now(), "created group " + name + " on launch template version "
                    + version.number() + " (min " + request.min() + ", desired " + request.desired() + ", max " + request.max() + ")");
        } else {
            listener.event(address, session.clock().now(), "group " + name + " exists already: waiting for its capacity");
        }
        String unhealthy = awaitCapacity(name, request.desired(), address, listener, timeoutMillis);
        if (unhealthy != null) {
            throw new ProviderException("fleet " + address + " was created as " + name + " but did not become healthy: "
                    + unhealthy, false).withCreated(name);
        }
        return live(name, address);
    }

    /** The availability zones of the region, for a fleet that names no subnets (the default VPC). */
    private List<String> zones() throws ProviderException {
        return AwsErrors.call("ec2:DescribeAvailabilityZones", () -> aws().ec2.describeAvailabilityZones(
                DescribeAvailabilityZonesRequest.builder().build()).availabilityZones().stream()
                .filter(z -> "available".equals(z.stateAsString()))
                .filter(z -> z.zoneType() == null || "availability-zone".equals(z.zoneType())) // not Local or Wavelength Zones
                .map(z -> z.zoneName()).sorted().toList());
    }

    static List<Tag> groupTags(FleetRequest request, Map<String, String> extra) {
        Map<String, String> all = new TreeMap<>(request.tags());
        all.put(AwsTags.STACK, request.stack());
        all.put(AwsTags.FLEET, request.fleet().toString());
        all.putAll(extra);
        List<Tag> tags = new ArrayList<>();
        all.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).propagateAtLaunch(!AwsTags.GROUP_ONLY.contains(k)).build()));
        return tags;
    }

    static FleetSpec.HealthCheck health(FleetSpec.HealthCheck health) {
        return health == null ? FleetSpec.HealthCheck.DEFAULT : health;
    }

    static String healthType(FleetSpec.HealthCheck health) {
        return health(health).type().equalsIgnoreCase("elb") ? "ELB" : "EC2";
    }

    /**
     * Waits until {@code desired} instances of the group are in service and healthy; returns why not when
     * the time is up (or an instance was found unhealthy after its grace period), or null.
     */
    String awaitCapacity(String name, int desired, Address address, ProgressListener listener, long timeoutMillis)
            throws ProviderException {
        long deadline = session.clock().now() + timeoutMillis;
        String last = "";
        while (true) {
            AutoScalingGroup g = describe(name).orElseThrow(() -> new ProviderException("group " + name + " disappeared", false));
            long healthy = g.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())
                    && "Healthy".equalsIgnoreCase(i.healthStatus())).count();
            String now = healthy + "/" + desired + " instances healthy";
            if (!now.equals(last)) {
                listener.event(address, session.clock().now(), now + " in " + name);
                last = now;
            }
            if (healthy >= desired) {
                return null;
            }
            if (session.clock().now() >= deadline) {
                return healthy + " of " + desired + " instances were healthy after " + dev.imm.value.Durations.format(timeoutMillis);
            }
            session.pause("the capacity of " + name);
        }
    }

    Optional<AutoScalingGroup> describe(String name) throws ProviderException {
        return AwsErrors.call("autoscaling:DescribeAutoScalingGroups", () -> aws().autoscaling.describeAutoScalingGroups(
                DescribeAutoScalingGroupsRequest.builder().autoScalingGroupNames(name).build()).autoScalingGroups().stream()
                .findFirst());
    }

    AutoScalingGroup require(String name) throws ProviderException {
        return describe(name).orElseThrow(() -> new ProviderException("the Auto Scaling group " + name + " does not exist", false));
    }

    /** The group as a live fleet (its launch template version read with it). */
    LiveFleet live(String name, Address address) throws ProviderException {
        AutoScalingGroup g = require(name);
        ResponseLaunchTemplateData data = null;
        if (g.launchTemplate() != null) {
            var versions = AwsErrors.call("ec2:DescribeLaunchTemplateVersions", () -> aws().ec2.describeLaunchTemplateVersions(
                    DescribeLaunchTemplateVersionsRequest.builder().launchTemplateId(g.launchTemplate().launchTemplateId())
                            .versions(g.launchTemplate().version()).build()).launchTemplateVersions());
            data = versions.isEmpty() ? null : versions.get(0).launchTemplateData();
        }
        Map<String, String> tags = AwsReader.tags(g.tags());
        List<LiveInstance> instances = new ArrayList<>();
        String imageId = data == null ? "" : data.imageId();
        g.instances().forEach(i -> instances.add(new LiveInstance(i.instanceId(), imageId,
                "Healthy".equalsIgnoreCase(i.healthStatus()) && "InService".equals(i.lifecycleStateAsString()))));
        instances.sort(Comparator.comparing(LiveInstance::instanceId));
        String serves = tags.get(AwsTags.SERVES);
        return new LiveFleet(name, address, AwsReader.launch(g, data), g.minSize(), g.maxSize(), g.desiredCapacity(),
                serves != null ? List.of(serves) : new ArrayList<>(new TreeSet<>(g.targetGroupARNs())), new TreeMap<>(tags), instances);
    }

    /** Sizes, health check, target groups and tags in place: no instance is replaced. */
    LiveFleet update(String name, FleetRequest request) throws ProviderException {
        AutoScalingGroup g = require(name);
        requireNoRoll(g, request.fleet());
        Map<String, String> tags = AwsReader.tags(g.tags());
        tags.remove(AwsTags.ROLLING);
        AwsErrors.run("autoscaling:UpdateAutoScalingGroup", () -> aws().autoscaling.updateAutoScalingGroup(
                UpdateAutoScalingGroupRequest.builder().autoScalingGroupName(name)
                        .minSize(request.min()).maxSize(request.max()).desiredCapacity(request.desired())
                        .healthCheckType(healthType(request.health()))
                        .healthCheckGracePeriod((int) (health(request.health()).graceMillis() / 1000)).build()));
        if (!tags.containsKey(AwsTags.SERVES)) {
            List<String> has = g.targetGroupARNs();
            List<String> attach = request.targetGroups().stream().filter(t -> !has.contains(t)).toList();
            List<String> detach = has.stream().filter(t -> !request.targetGroups().contains(t)).toList();
            if (!attach.isEmpty()) {
                AwsErrors.run("autoscaling:AttachLoadBalancerTargetGroups", () -> aws().autoscaling.attachLoadBalancerTargetGroups(
                        AttachLoadBalancerTargetGroupsRequest.builder().autoScalingGroupName(name).targetGroupARNs(attach).build()));
            }
            if (!detach.isEmpty()) {
                AwsErrors.run("autoscaling:DetachLoadBalancerTargetGroups", () -> aws().autoscaling.detachLoadBalancerTargetGroups(
                        DetachLoadBalancerTargetGroupsRequest.builder().autoScalingGroupName(name).targetGroupARNs(detach).build()));
            }
        }
        Map<String, String> keep = new HashMap<>();
        tags.forEach((k, v) -> {
            if (k.startsWith("imm:")) {
                keep.put(k, v);
            }
        });
        List<Tag> wanted = groupTags(request, keep).stream().map(t -> t.toBuilder().resourceId(name)
                .resourceType("auto-scaling-group").build()).toList();
        AwsErrors.run("autoscaling:CreateOrUpdateTags", () -> aws().autoscaling.createOrUpdateTags(
                CreateOrUpdateTagsRequest.builder().tags(wanted).build()));
        List<Tag> gone = tags.keySet().stream().filter(k -> !k.startsWith("imm:") && !request.tags().containsKey(k))
                .map(k -> Tag.builder().key(k).resourceId(name).resourceType("auto-scaling-group").build()).toList();
        if (!gone.isEmpty()) {
            AwsErrors.run("autoscaling:DeleteTags", () -> aws().autoscaling.deleteTags(DeleteTagsRequest.builder().tags(gone).build()));
        }
        return live(name, request.fleet());
    }

    /**
     * Refuses a group with a roll under way (its {@code imm:rolling} tag names a refresh that has not
     * ended, or a new blue/green group that exists); a tag left by a roll that ended while imm was not
     * watching is removed.
     */
    void requireNoRoll(AutoScalingGroup g, Address address) throws ProviderException {
        String rolling = AwsReader.tags(g.tags()).get(AwsTags.ROLLING);
        if (rolling == null) {
            return;
        }
        boolean underWay;
        if (AwsRollIds.isBlueGreen(rolling)) {
            underWay = describe(AwsRollIds.greenGroup(rolling)).isPresent();
        } else {
            var latest = AwsErrors.call("autoscaling:DescribeInstanceRefreshes", () -> aws().autoscaling.describeInstanceRefreshes(
                    b -> b.autoScalingGroupName(g.autoScalingGroupName()).maxRecords(1)).instanceRefreshes());
            underWay = !latest.isEmpty() && AwsRefreshes.underWay(latest.get(0).statusAsString());
        }
        if (underWay) {
            throw new ProviderException("fleet " + address + " (" + g.autoScalingGroupName() + ") has a roll under way ("
                    + rolling + "); it must end, or be rolled back, first", false);
        }
        untag(g.autoScalingGroupName(), AwsTags.ROLLING);
    }

    /** Sets one of imm's own tags on a group. */
    void tag(String group, String key, String value) throws ProviderException {
        AwsErrors.run("autoscaling:CreateOrUpdateTags", () -> aws().autoscaling.createOrUpdateTags(CreateOrUpdateTagsRequest.builder()
                .tags(Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(key).value(value)
                        .propagateAtLaunch(false).build()).build()));
    }

    /** Removes some of imm's own tags from a group, in one call. */
    void untag(String group, String... keys) throws ProviderException {
        List<Tag> tags = java.util.Arrays.stream(keys)
                .map(k -> Tag.builder().resourceId(group).resourceType("auto-scaling-group").key(k).build()).toList();
        AwsErrors.run("autoscaling:DeleteTags", () -> aws().autoscaling.deleteTags(DeleteTagsRequest.builder().tags(tags).build()));
    }

    /** Deletes a group with its instances and waits until it is gone. */
    void deleteGroup(String name, Address address, ProgressListener listener) throws ProviderException {
        Optional<AutoScalingGroup> g = describe(name);
        if (g.isEmpty()) {
            return;
        }
        listener.event(address, session.clock().now(), "deleting group " + name + ": terminating "
                + g.get().instances().size() + " instances");
        AwsErrors.run("autoscaling:DeleteAutoScalingGroup", () -> aws().autoscaling.deleteAutoScalingGroup(
                DeleteAutoScalingGroupRequest.builder().autoScalingGroupName(name).forceDelete(true).build()));
        long deadline = session.clock().now() + CAPACITY_TIMEOUT_MILLIS;
        while (describe(name).isPresent()) {
            if (session.clock().now() >= deadline) {
                throw new ProviderException("group " + name + " was still being deleted after "
                        + dev.imm.value.Durations.format(CAPACITY_TIMEOUT_MILLIS), true);
            }
            session.pause("the deletion of " + name);
        }
        listener.event(address, session.clock().now(), "group " + name + " deleted");
    }

    /** Deletes the fleet's launch template once no group of the stack runs on it. */
    void deleteTemplateUnlessUsed(String stack, Address fleet) throws ProviderException {
        String name = AwsNames.fleetBase(stack, fleet);
        Optional<LaunchTemplate> template = template(name);
        if (template.isEmpty()) {
            return;
        }
        boolean used = new AwsReader(aws()).groups(stack).stream().anyMatch(g -> g.launchTemplate() != null
                && template.get().launchTemplateId().equals(g.launchTemplate().launchTemplateId()));
        if (!used) {
            AwsErrors.run("ec2:DeleteLaunchTemplate", () -> aws().ec2.deleteLaunchTemplate(
                    DeleteLaunchTemplateRequest.builder().launchTemplateId(template.get().launchTemplateId()).build()));
        }
    }
}
