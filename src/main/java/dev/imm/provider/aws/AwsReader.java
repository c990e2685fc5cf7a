package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.BakeInputs;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveRoll;
import dev.imm.provider.LiveState;
import dev.imm.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeInstanceRefreshesRequest;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;

/**
 * Reads what AWS holds for a stack with a number of calls that grows with pages, not resources:
 * DescribeImages (owner self, tag {@code imm:stack}), DescribeAutoScalingGroups (tag filter),
 * DescribeLaunchTemplateVersions for the latest version of every template at once (imm always moves a
 * group to a new latest version; only groups left on an older one, after a rollback, cost one call per
 * template), DescribeInstances (tag {@code imm:stack}, which groups propagate to their instances; those
 * without it by id, 200 a call), and DescribeInstanceRefreshes only for groups that carry
 * {@code imm:rolling} (a roll imm started and has not yet seen end).
 */
final class AwsReader {
    private static final int IDS_PER_FILTER = 200;
    /** The most DescribeAutoScalingGroups gives in one page (its default is 50). */
    static final int GROUPS_PER_PAGE = 100;
    private final AwsClients aws;

    AwsReader(AwsClients aws) {
        this.aws = aws;
    }

    LiveState read(String stack) throws ProviderException {
        List<LiveImage> images = images(stack);
        List<AutoScalingGroup> groups = groups(stack);
        Map<String, AutoScalingGroup> byName = new HashMap<>();
        groups.forEach(g -> byName.put(g.autoScalingGroupName(), g));
        Map<String, InstanceRefresh> refreshes = refreshes(groups);
        Map<String, ResponseLaunchTemplateData> versions = launchTemplateData(groups, refreshes);
        Map<String, String> instanceImages = instanceImages(stack, groups);
        List<LiveFleet> fleets = new ArrayList<>();
        for (AutoScalingGroup g : groups) {
            Map<String, String> tags = tags(g.tags());
            Address address = address("fleet", tags.get(AwsTags.FLEET));
            String blue = tags.get(AwsTags.GREEN_OF);
            if (address == null || blue != null && byName.containsKey(blue)) {
                continue; // the new group of a blue/green rollout under way: part of that roll
            }
            LiveFleet fleet = fleet(g, address, tags, versions, instanceImages);
            LiveRoll roll = roll(g, tags, fleet, byName, refreshes.get(g.autoScalingGroupName()), versions);
            fleets.add(roll == null ? fleet : new LiveFleet(fleet.fleetId(), fleet.address(), fleet.launch(), fleet.min(),
                    fleet.max(), fleet.desired(), fleet.targetGroups(), fleet.tags(), fleet.instances(), roll));
        }
        fleets.sort(Comparator.comparing(LiveFleet::address).thenComparing(LiveFleet::fleetId));
        return new LiveState(images, fleets);
    }

    // ---- images ----

    List<LiveImage> images(String stack) throws ProviderException {
        List<Image> found = new ArrayList<>();
        DescribeImagesRequest request = DescribeImagesRequest.builder().owners("self")
                .filters(tagFilter(AwsTags.STACK, stack), Filter.builder().name("state").values("available").build())
                .build();
        AwsErrors.run("ec2:DescribeImages", () -> aws.ec2.describeImagesPaginator(request).images().forEach(found::add));
        List<LiveImage> images = new ArrayList<>();
        for (Image i : found) {
            Map<String, String> tags = new TreeMap<>();
            i.tags().forEach(t -> tags.put(t.key(), t.value()));
            Address address = address("image", tags.get(AwsTags.IMAGE));
            String hash = tags.get(AwsTags.BAKE_HASH);
            if (address == null || hash == null) {
                continue;
            }
            images.add(LiveImage.of(i.imageId(), address, hash, tags.getOrDefault(AwsTags.SOURCE, ""), millis(i.creationDate()), tags));
        }
        images.sort(Comparator.comparing(LiveImage::address).thenComparingLong(LiveImage::createdAtMillis)
                .thenComparing(LiveImage::imageId));
        return images;
    }

    // ---- groups ----

    List<AutoScalingGroup> groups(String stack) throws ProviderException {
        List<AutoScalingGroup> groups = new ArrayList<>();
        DescribeAutoScalingGroupsRequest request = DescribeAutoScalingGroupsRequest.builder().maxRecords(GROUPS_PER_PAGE)
                .filters(software.amazon.awssdk.services.autoscaling.model.Filter.builder()
                        .name("tag:" + AwsTags.STACK).values(stack).build())
                .build();
        AwsErrors.run("autoscaling:DescribeAutoScalingGroups",
                () -> aws.autoscaling.describeAutoScalingGroupsPaginator(request).autoScalingGroups().forEach(groups::add));
        // an endpoint may ignore the filter: keep only the stack's groups
        groups.removeIf(g -> !stack.equals(tags(g.tags()).get(AwsTags.STACK)));
        return groups;
    }

    /** The refresh most recently started on each group that carries {@code imm:rolling} (a refresh, not blue/green). */
    private Map<String, InstanceRefresh> refreshes(List<AutoScalingGroup> groups) throws ProviderException {
        Map<String, InstanceRefresh> latest = new HashMap<>();
        for (AutoScalingGroup g : groups) {
            String rolling = tags(g.tags()).get(AwsTags.ROLLING);
            if (rolling != null && rolling.startsWith(AwsRollIds.REFRESH)) {
                AwsErrors.run("autoscaling:DescribeInstanceRefreshes", () -> {
                    var page = aws.autoscaling.describeInstanceRefreshes(DescribeInstanceRefreshesRequest.builder()
                            .autoScalingGroupName(g.autoScalingGroupName()).maxRecords(1).build());
                    if (!page.instanceRefreshes().isEmpty()) {
                        latest.put(g.autoScalingGroupName(), page.instanceRefreshes().get(0));
                    }
                });
            }
        }
        return latest;
    }

    /**
     * Launch template data by {@code templateId:version}: the latest version of every template in one
     * paginated call, then the versions still missing (a group on an older version, a refresh's target), per
     * template.
     */
    private Map<String, ResponseLaunchTemplateData> launchTemplateData(List<AutoScalingGroup> groups,
                                                                       Map<String, InstanceRefresh> refreshes)
            throws ProviderException {
        Map<String, ResponseLaunchTemplateData> data = new HashMap<>();
        if (groups.isEmpty()) {
            return data;
        }
        List<LaunchTemplateVersion> latest = new ArrayList<>();
        AwsErrors.run("ec2:DescribeLaunchTemplateVersions", () -> aws.ec2.describeLaunchTemplateVersionsPaginator(
                DescribeLaunchTemplateVersionsRequest.builder().versions("$Latest").build())
                .launchTemplateVersions().forEach(latest::add));
        latest.forEach(v -> data.put(v.launchTemplateId() + ":" + v.versionNumber(), v.launchTemplateData()));
        Map<String, Set<String>> missing = new TreeMap<>();
        for (AutoScalingGroup g : groups) {
            if (g.launchTemplate() != null) {
                want(g.launchTemplate().launchTemplateId(), g.launchTemplate().version(), data, missing);
            }
            InstanceRefresh r = refreshes.get(g.autoScalingGroupName());
            if (r != null && r.desiredConfiguration() != null && r.desiredConfiguration().launchTemplate() != null) {
                var lt = r.desiredConfiguration().launchTemplate();
                want(lt.launchTemplateId(), lt.version(), data, missing);
            }
        }
        for (Map.Entry<String, Set<String>> m : missing.entrySet()) {
            AwsErrors.run("ec2:DescribeLaunchTemplateVersions", () -> aws.ec2.describeLaunchTemplateVersionsPaginator(
                    DescribeLaunchTemplateVersionsRequest.builder().launchTemplateId(m.getKey()).versions(m.getValue()).build())
                    .launchTemplateVersions()
                    .forEach(v -> data.put(v.launchTemplateId() + ":" + v.versionNumber(), v.launchTemplateData())));
        }
        return data;
    }

    private static void want(String templateId, String version, Map<String, ResponseLaunchTemplateData> data,
                             Map<String, Set<String>> missing) {
        if (templateId != null && version != null && !data.containsKey(templateId + ":" + version)) {
            missing.computeIfAbsent(templateId, k -> new TreeSet<>()).add(version);
        }
    }

    /** Image id of every instance in the groups: by the stack's tag, and by id for those without it. */
    private Map<String, String> instanceImages(String stack, List<AutoScalingGroup> groups) throws ProviderException {
        Map<String, String> images = new HashMap<>();
        Set<String> wanted = new TreeSet<>();
        groups.forEach(g -> g.instances().forEach(i -> wanted.add(i.instanceId())));
        if (wanted.isEmpty()) {
            return images;
        }
        describeInstances(DescribeInstancesRequest.builder().filters(tagFilter(AwsTags.STACK, stack)).build(), images);
        List<String> untagged = wanted.stream().filter(id -> !images.containsKey(id)).toList();
        for (int from = 0; from < untagged.size(); from += IDS_PER_FILTER) {
            List<String> chunk = untagged.subList(from, Math.min(untagged.size(), from + IDS_PER_FILTER));
            describeInstances(DescribeInstancesRequest.builder()
                    .filters(Filter.builder().name("instance-id").values(chunk).build()).build(), images);
        }
        return images;
    }

    private void describeInstances(DescribeInstancesRequest request, Map<String, String> into) throws ProviderException {
        AwsErrors.run("ec2:DescribeInstances", () -> {
            for (Reservation r : aws.ec2.describeInstancesPaginator(request).reservations()) {
                for (Instance i : r.instances()) {
                    into.put(i.instanceId(), i.imageId());
                }
            }
        });
    }

    private LiveFleet fleet(AutoScalingGroup g, Address address, Map<String, String> tags,
                            Map<String, ResponseLaunchTemplateData> versions, Map<String, String> instanceImages) {
        LaunchConfiguration launch = launch(g, g.launchTemplate() == null ? null
                : versions.get(g.launchTemplate().launchTemplateId() + ":" + g.launchTemplate().version()));
        List<LiveInstance> instances = new ArrayList<>();
        for (var i : g.instances()) {
            String lifecycle = i.lifecycleStateAsString();
            if (lifecycle != null && (lifecycle.startsWith("Terminat") || lifecycle.startsWith("Detach"))) {
                continue;
            }
            boolean healthy = "Healthy".equalsIgnoreCase(i.healthStatus()) && "InService".equals(lifecycle);
            instances.add(new LiveInstance(i.instanceId(), instanceImages.getOrDefault(i.instanceId(), ""), healthy));
        }
        instances.sort(Comparator.comparing(LiveInstance::instanceId));
        String serves = tags.get(AwsTags.SERVES);
        List<String> targetGroups = serves != null ? List.of(serves) : new ArrayList<>(new TreeSet<>(g.targetGroupARNs()));
        return new LiveFleet(g.autoScalingGroupName(), address, launch, g.minSize(), g.maxSize(), g.desiredCapacity(),
                targetGroups, new TreeMap<>(tags), instances);
    }

    /** The group's launch configuration: its launch template version's data and its subnets. */
    static LaunchConfiguration launch(AutoScalingGroup g, ResponseLaunchTemplateData data) {
        List<String> subnets = g.vpcZoneIdentifier() == null || g.vpcZoneIdentifier().isBlank() ? List.of()
                : List.of(g.vpcZoneIdentifier().split(","));
        return launch(data, subnets);
    }

    static LaunchConfiguration launch(ResponseLaunchTemplateData data, List<String> subnets) {
        if (data == null) {
            return new LaunchConfiguration("", "", "", subnets, List.of(), "");
        }
        String userData = data.userData() == null || data.userData().isEmpty() ? "" : userDataSha256(data.userData());
        String profile = data.iamInstanceProfile() == null ? ""
                : data.iamInstanceProfile().name() != null ? data.iamInstanceProfile().name()
                : data.iamInstanceProfile().arn() == null ? "" : data.iamInstanceProfile().arn();
        List<String> groups = data.hasSecurityGroupIds() && !data.securityGroupIds().isEmpty() ? data.securityGroupIds()
                : data.securityGroups();
        return new LaunchConfiguration(data.imageId() == null ? "" : data.imageId(),
                data.instanceTypeAsString() == null ? "" : data.instanceTypeAsString(), userData, subnets, groups, profile);
    }

    /**
     * The hash of user data as imm records it: of the decoded text. Data that is not base64 (written by
     * hand) is hashed as it is, so that it shows as a change rather than failing the read.
     */
    private static String userDataSha256(String encoded) {
        try {
            return BakeInputs.sha256(new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return BakeInputs.sha256(encoded);
        }
    }

    /** The roll under way on the group, if imm started one that has not ended. */
    private LiveRoll roll(AutoScalingGroup g, Map<String, String> tags, LiveFleet fleet, Map<String, AutoScalingGroup> byName,
                          InstanceRefresh refresh, Map<String, ResponseLaunchTemplateData> versions) {
        String rolling = tags.get(AwsTags.ROLLING);
        if (rolling == null) {
            return null;
        }
        if (rolling.startsWith(AwsRollIds.BLUE_GREEN)) {
            String greenName = AwsRollIds.greenGroup(rolling);
            AutoScalingGroup green = byName.get(greenName);
            if (green == null) {
                return null; // the new group never got made, or is gone: nothing under way
            }
            LaunchConfiguration to = launch(green, green.launchTemplate() == null ? null
                    : versions.get(green.launchTemplate().launchTemplateId() + ":" + green.launchTemplate().version()));
            long inService = green.instances().stream().filter(i -> "InService".equals(i.lifecycleStateAsString())).count();
            return new LiveRoll(rolling, RolloutPolicy.Strategy.BLUE_GREEN, "new group " + greenName + ", "
                    + inService + " of " + g.desiredCapacity() + " in service", fleet.launch(), to, (int) inService,
                    g.desiredCapacity(), millis(green.createdTime()));
        }
        if (refresh == null || !AwsRefreshes.underWay(refresh.statusAsString())) {
            return null;
        }
        var lt = refresh.desiredConfiguration() == null ? null : refresh.desiredConfiguration().launchTemplate();
        LaunchConfiguration to = lt == null ? fleet.launch() : launch(g, versions.get(lt.launchTemplateId() + ":" + lt.version()));
        boolean canary = refresh.preferences() != null && refresh.preferences().hasCheckpointPercentages()
                && !refresh.preferences().checkpointPercentages().isEmpty();
        int total = g.desiredCapacity();
        int left = refresh.instancesToUpdate() == null ? total : refresh.instancesToUpdate();
        String phase = refresh.statusAsString() + (refresh.percentageComplete() == null ? "" : ", " + refresh.percentageComplete() + "%")
                + (refresh.statusReason() == null || refresh.statusReason().isBlank() ? "" : ": " + refresh.statusReason());
        return new LiveRoll(AwsRollIds.refresh(g.autoScalingGroupName(), refresh.instanceRefreshId()),
                canary ? RolloutPolicy.Strategy.CANARY : RolloutPolicy.Strategy.ROLLING, phase, fleet.launch(), to,
                Math.max(0, total - left), total, millis(refresh.startTime()));
    }

    // ---- helpers ----

    static Filter tagFilter(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }

    static Map<String, String> tags(List<TagDescription> tags) {
        Map<String, String> map = new LinkedHashMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    /** The address a tag names, or null when it is missing or not an address of that kind. */
    static Address address(String kind, String tag) {
        if (tag == null || !tag.startsWith(kind + ".")) {
            return null;
        }
        try {
            return Address.parse(kind, tag);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static long millis(String iso) {
        if (iso == null || iso.isBlank()) {
            return 0;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static long millis(Instant at) {
        return at == null ? 0 : at.toEpochMilli();
    }
}
