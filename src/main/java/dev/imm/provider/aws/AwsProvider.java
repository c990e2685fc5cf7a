package dev.imm.provider.aws;

import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.DeleteSnapshotRequest;
import software.amazon.awssdk.services.ec2.model.DeregisterImageRequest;
import software.amazon.awssdk.services.ec2.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeLaunchTemplateVersionsRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;

/**
 * AWS behind the provider SPI: images are AMIs, fleets are Auto Scaling groups on launch templates,
 * rolling and canary rollouts are instance refreshes, blue/green goes through ELBv2 (docs/aws.md). It is
 * the only user of the AWS SDK. Clients are made on first use: {@link #target} makes them and asks STS
 * who the caller is, so that missing credentials, a missing region or an unreachable endpoint are said
 * once, before a plan reads anything. Every call goes through {@link AwsErrors}.
 */
public final class AwsProvider implements Provider {
    private final AwsSettings settings;
    private final SdkHttpClient http;
    private final List<ExecutionInterceptor> interceptors;
    private final AwsClock clock;
    private final AwsSources sources;
    private AwsClients clients;
    private SdkException openFailure;

    public AwsProvider(AwsSettings settings) {
        this(settings, null, List.of(), AwsClock.SYSTEM);
    }

    /** For tests: another HTTP client (responses from memory), interceptors (to record calls), a clock that does not sleep. */
    AwsProvider(AwsSettings settings, SdkHttpClient http, List<ExecutionInterceptor> interceptors, AwsClock clock) {
        this.settings = settings;
        this.http = http;
        this.interceptors = new ArrayList<>(interceptors);
        this.clock = clock;
        this.sources = new AwsSources(this::clients);
    }

    private synchronized AwsClients clients() throws ProviderException {
        if (clients == null && openFailure == null) {
            try {
                clients = AwsClients.open(settings, http, interceptors);
            } catch (SdkException e) {
                openFailure = e;
            }
        }
        if (openFailure != null) {
            throw AwsErrors.translate("sts:GetCallerIdentity", openFailure);
        }
        return clients;
    }

    private AwsSession session() throws ProviderException {
        return new AwsSession(clients(), clock, settings.pollInterval().toMillis(), this::reached);
    }

    private volatile String crashPoint;
    private volatile Runnable crash;

    /**
     * Testing crash recovery: when an operation reaches {@code point} ({@code builder-launched}: a bake's
     * builder runs and is journaled), {@code crash} runs, and does not return: the engine halts the
     * process as {@code kill -9} would ({@code IMM_AWS_CRASH_AT}, docs/aws.md).
     */
    public void crashAt(String point, Runnable crash) {
        this.crashPoint = point;
        this.crash = crash;
    }

    private void reached(String point) {
        if (point.equals(crashPoint)) {
            crash.run();
        }
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public String target() throws ProviderException {
        AwsClients aws = clients();
        String account = AwsErrors.call("sts:GetCallerIdentity", () -> aws.sts.getCallerIdentity().account());
        return "AWS account " + account + ", region " + aws.region.id()
                + (settings.endpoint() == null ? "" : ", endpoint " + settings.endpoint());
    }

    @Override
    public SourceResolver sources() {
        return sources;
    }

    @Override
    public Set<RolloutPolicy.Strategy> nativeStrategies() {
        return EnumSet.allOf(RolloutPolicy.Strategy.class);
    }

    /** Waiting before a retry sleeps for real (interrupted: false). */
    @Override
    public boolean backOff(long millis) {
        return clock.sleep(millis);
    }

    @Override
    public LiveState read(String stack) throws ProviderException {
        return new AwsReader(clients()).read(stack);
    }

    @Override
    public BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
        return new AwsBaker(session()).bake(request, listener);
    }

    @Override
    public LiveFleet createFleet(FleetRequest request, ProgressListener listener) throws ProviderException {
        AwsFleets fleets = new AwsFleets(session());
        AwsFleets.Version version = fleets.version(request.stack(), request.fleet(), request.launch(), request.userData());
        String name = AwsNames.group(request.stack(), request.fleet(), version.number());
        listener.started(request.fleet(), new OperationHandle("create-fleet", name));
        long timeout = AwsFleets.health(request.health()).graceMillis() + AwsFleets.CAPACITY_TIMEOUT_MILLIS;
        return fleets.createGroup(request, version, name, request.targetGroups(), Map.of(), listener, timeout);
    }

    @Override
    public LiveFleet updateFleet(String fleetId, FleetRequest request) throws ProviderException {
        return new AwsFleets(session()).update(fleetId, request);
    }

    @Override
    public RollResult roll(RollRequest request, ProgressListener listener) throws ProviderException {
        if (request.fleet() == null) {
            throw new ProviderException("a roll on AWS needs the fleet as declared (this is a bug in imm)", false);
        }
        AwsSession session = session();
        AwsFleets fleets = new AwsFleets(session);
        AutoScalingGroup group = fleets.require(request.fleetId());
        Address address = request.fleet().fleet();
        fleets.requireNoRoll(group, address);
        if (request.policy().strategy() == RolloutPolicy.Strategy.BLUE_GREEN) {
            return new AwsBlueGreen(session, fleets).roll(request, group, address, listener);
        }
        return new AwsRefreshes(session, fleets).roll(request, group, address, listener);
    }

    @Override
    public RollResult awaitRoll(String rollId, ProgressListener listener) throws ProviderException {
        TakenUp roll = takeUp(rollId, listener);
        if (AwsRollIds.isBlueGreen(rollId)) {
            return new AwsBlueGreen(roll.session(), roll.fleets()).await(rollId, roll.stack(), roll.declaredTargetGroups(),
                    roll.address(), listener);
        }
        return new AwsRefreshes(roll.session(), roll.fleets()).await(rollId, roll.address(), listener);
    }

    @Override
    public RollResult rollBack(String rollId, String reason, ProgressListener listener) throws ProviderException {
        TakenUp roll = takeUp(rollId, listener);
        if (AwsRollIds.isBlueGreen(rollId)) {
            return new AwsBlueGreen(roll.session(), roll.fleets()).rollBack(rollId, reason, roll.stack(),
                    roll.declaredTargetGroups(), roll.address(), listener);
        }
        return new AwsRefreshes(roll.session(), roll.fleets()).rollBack(rollId, reason, roll.address(), listener);
    }

    /** A roll under way, taken up by this session: the group it names (the new one, once the old is gone). */
    private record TakenUp(AwsSession session, AwsFleets fleets, AutoScalingGroup group, Address address) {
        String stack() {
            return AwsReader.tags(group.tags()).getOrDefault(AwsTags.STACK, "");
        }

        List<String> declaredTargetGroups() {
            String serves = AwsReader.tags(group.tags()).get(AwsTags.SERVES);
            return serves != null ? List.of(serves) : group.targetGroupARNs();
        }
    }

    private TakenUp takeUp(String rollId, ProgressListener listener) throws ProviderException {
        AwsSession session = session();
        AwsFleets fleets = new AwsFleets(session);
        var group = fleets.describe(AwsRollIds.group(rollId));
        if (group.isEmpty() && AwsRollIds.isBlueGreen(rollId)) {
            group = fleets.describe(AwsRollIds.greenGroup(rollId));
        }
        AutoScalingGroup found = group.orElseThrow(() -> new ProviderException("no group of roll " + rollId + " exists", false));
        Address address = addressOf(found);
        listener.started(address, new OperationHandle("roll", rollId));
        return new TakenUp(session, fleets, found, address);
    }

    private static Address addressOf(AutoScalingGroup group) {
        Address address = AwsReader.address("fleet", AwsReader.tags(group.tags()).get(AwsTags.FLEET));
        return address != null ? address : Address.of("fleet", group.autoScalingGroupName());
    }

    private static String stackOf(AutoScalingGroup group) {
        return AwsReader.tags(group.tags()).getOrDefault(AwsTags.STACK, "");
    }

    @Override
    public void destroyFleet(String fleetId, ProgressListener listener) throws ProviderException {
        AwsSession session = session();
        AwsFleets fleets = new AwsFleets(session);
        var group = fleets.describe(fleetId);
        if (group.isEmpty()) {
            return;
        }
        Address address = addressOf(group.get());
        listener.started(address, new OperationHandle("destroy-fleet", fleetId));
        String rolling = AwsReader.tags(group.get().tags()).get(AwsTags.ROLLING);
        if (rolling != null && AwsRollIds.isBlueGreen(rolling)) {
            fleets.deleteGroup(AwsRollIds.greenGroup(rolling), address, listener);
        }
        fleets.deleteGroup(fleetId, address, listener);
        fleets.deleteTemplateUnlessUsed(stackOf(group.get()), address);
    }

    /**
     * Deregisters the AMI and deletes its snapshots, after checking that no instance runs it and no launch
     * template version a group uses (or the latest of any template) names it. An AMI already gone counts
     * as retired: AWS deleted its snapshots with it.
     */
    @Override
    public void retireImage(String imageId) throws ProviderException {
        AwsClients aws = clients();
        List<Image> found;
        try {
            found = AwsErrors.call("ec2:DescribeImages", () -> aws.ec2.describeImages(
                    DescribeImagesRequest.builder().imageIds(imageId).build()).images());
        } catch (ProviderException e) {
            if (!AwsErrors.code(e).equals("InvalidAMIID.NotFound")) {
                throw e;
            }
            found = List.of();
        }
        if (found.isEmpty() || "deregistered".equals(found.get(0).stateAsString())) {
            return;
        }
        Image image = found.get(0);
        List<String> running = new ArrayList<>();
        AwsErrors.run("ec2:DescribeInstances", () -> aws.ec2.describeInstancesPaginator(DescribeInstancesRequest.builder()
                .filters(Filter.builder().name("image-id").values(imageId).build(),
                        Filter.builder().name("instance-state-name").values("pending", "running", "stopping", "stopped").build())
                .build()).reservations().forEach(r -> r.instances().forEach(i -> {
                    if (imageId.equals(i.imageId())) {
                        running.add(i.instanceId());
                    }
                })));
        if (!running.isEmpty()) {
            throw new ProviderException("image " + imageId + " is in use by instance " + String.join(", ", running)
                    + "; it cannot be retired", false);
        }
        String stack = image.tags().stream().filter(t -> AwsTags.STACK.equals(t.key())).map(t -> t.value()).findFirst().orElse("");
        for (AutoScalingGroup g : new AwsReader(aws).groups(stack)) {
            if (g.launchTemplate() == null) {
                continue;
            }
            var versions = AwsErrors.call("ec2:DescribeLaunchTemplateVersions", () -> aws.ec2.describeLaunchTemplateVersions(
                    DescribeLaunchTemplateVersionsRequest.builder().launchTemplateId(g.launchTemplate().launchTemplateId())
                            .versions(g.launchTemplate().version(), "$Latest").build()).launchTemplateVersions());
            if (versions.stream().anyMatch(v -> imageId.equals(v.launchTemplateData().imageId()))) {
                throw new ProviderException("image " + imageId + " is in use by group " + g.autoScalingGroupName()
                        + " (its launch template); it cannot be retired", false);
            }
        }
        // AWS deletes the snapshots with the image, in the same call; they are deleted one by one after it
        // for endpoints that ignore the flag (a snapshot already gone is fine)
        AwsErrors.run("ec2:DeregisterImage", () -> aws.ec2.deregisterImage(DeregisterImageRequest.builder().imageId(imageId)
                .deleteAssociatedSnapshots(true).build()));
        for (var mapping : image.blockDeviceMappings()) {
            if (mapping.ebs() != null && mapping.ebs().snapshotId() != null) {
                try {
                    AwsErrors.run("ec2:DeleteSnapshot", () -> aws.ec2.deleteSnapshot(
                            DeleteSnapshotRequest.builder().snapshotId(mapping.ebs().snapshotId()).build()));
                } catch (ProviderException e) {
                    if (!AwsErrors.code(e).equals("InvalidSnapshot.NotFound")) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        if (clients != null) {
            clients.close();
        }
    }
}
