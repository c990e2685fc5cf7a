package dev.imm.provider.sim;

import dev.imm.model.Address;
import dev.imm.model.FaultSpec;
import dev.imm.model.FleetSpec;
import dev.imm.model.ProvisionStep;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.model.Timings;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.LiveBake;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveRoll;
import dev.imm.provider.LiveState;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import dev.imm.value.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The built-in simulated cloud: EC2 images and Auto Scaling groups kept in {@code cloud.json} under the
 * stack's {@code .imm/sim/}, with ids shaped like AWS's ({@code ami-}, {@code i-}, {@code asg-} and 17 hex
 * digits) drawn from the seed and counters, so the same calls give the same ids, and a virtual clock, so
 * an apply that would take forty minutes takes milliseconds and reports the forty minutes. Every call
 * that changes the cloud saves it before returning; a call that fails to save leaves the cloud as it
 * was on disk.
 *
 * <p>Virtual durations ({@link Timings}, which plans estimate with too): a bake is 3 min of builder boot,
 * then per step 20 s per inline shell line, 60 s per shell script and 5 s per uploaded file, then 4 min
 * of image creation; it fails at its timeout.
 * New instances boot in 60 s; at creation (and when scaling out) they are healthy after the fleet's
 * health check grace period, in a roll after the policy's warm-up ({@link Rollout}, which runs the
 * rolling, canary and blue/green strategies). Deleting a fleet takes 30 s.
 *
 * <p>Faults declared in the stack's {@code provider "sim"} block are injected ({@link SimFaults},
 * docs/faults.md). A {@link #rehearsal} runs on a copy of the cloud and never saves it.
 *
 * <p>Calls are serialised: the cloud has one clock, and operations run one after another on it.
 */
public final class SimProvider implements Provider {
    static final long BUILDER_BOOT_MILLIS = Timings.BUILDER_BOOT_MILLIS;
    static final long IMAGE_CREATION_MILLIS = Timings.IMAGE_CREATION_MILLIS;
    static final long INSTANCE_BOOT_MILLIS = Timings.INSTANCE_BOOT_MILLIS;
    static final long INSTANCE_TERMINATION_MILLIS = Timings.INSTANCE_TERMINATION_MILLIS;

    static final String TAG_STACK = "imm:stack";
    static final String TAG_IMAGE = "imm:image";
    static final String TAG_FLEET = "imm:fleet";
    static final String TAG_BAKE_HASH = "imm:bake-hash";

    private final Path directory;
    private final long seed;
    private final SimCatalog catalog = SimCatalog.standard();
    private final SimFaults faults;
    /** A rehearsal's copy of the cloud: never saved. */
    private final boolean ephemeral;
    private final List<RolloutTimeline> timelines = new ArrayList<>();
    private SimCloud cloud;
    private IOException loadFailure;

    public SimProvider(Path simDirectory, long seed) {
        this(simDirectory, seed, List.of());
    }

    /** The cloud kept under {@code simDirectory}, injecting {@code faults}. */
    public SimProvider(Path simDirectory, long seed, List<FaultSpec> faults) {
        this.directory = simDirectory;
        this.seed = seed;
        this.faults = new SimFaults(faults);
        this.ephemeral = false;
        try {
            this.cloud = SimCloud.load(simDirectory, seed);
            this.loadedVersion = fileVersion();
        } catch (IOException e) {
            this.loadFailure = e;
        }
    }

    private SimProvider(SimProvider original) {
        this.directory = original.directory;
        this.seed = original.seed;
        this.faults = original.faults;
        this.ephemeral = true;
        this.cloud = original.cloud.copy();
    }

    /**
     * A provider over a copy of this cloud as it is now, with the same faults, that never saves: what
     * {@code imm plan --rehearse} applies its plan to.
     */
    public synchronized SimProvider rehearsal() throws ProviderException {
        requireLoaded();
        return new SimProvider(this);
    }

    /**
     * The bake hash each image of the stack has as the configuration declares it now: {@code unhealthy}
     * and {@code bake_fails} faults name an image, and strike only this version of it.
     */
    public void declareImages(Map<Address, String> bakeHashes) {
        faults.declare(bakeHashes);
    }

    /** The rollouts run in this session, in order (for tests of their invariants). */
    synchronized List<RolloutTimeline> timelines() {
        return List.copyOf(timelines);
    }

    /** Waiting before a retry moves the virtual clock: no wall time is spent. */
    @Override
    public synchronized boolean backOff(long millis) {
        if (cloud != null) {
            cloud.clock += millis;
        }
        return true;
    }

    /** Ids and virtual time follow the order of calls: the executor runs one step at a time, in plan order. */
    @Override
    public boolean sequential() {
        return true;
    }

    @Override
    public long now() {
        return cloud.clock;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public SourceResolver sources() {
        return catalog;
    }

    @Override
    public Set<RolloutPolicy.Strategy> nativeStrategies() {
        return EnumSet.allOf(RolloutPolicy.Strategy.class);
    }

    @Override
    public synchronized LiveState read(String stack) throws ProviderException {
        requireLoaded();
        reloadIfSavedElsewhere();
        faults.apiCall(cloud, "DescribeAutoScalingGroups");
        List<LiveImage> images = new ArrayList<>();
        for (SimCloud.Image image : cloud.images.values()) {
            if (image.available() && stack.equals(image.tags.get(TAG_STACK)) && image.tags.containsKey(TAG_IMAGE)) {
                images.add(new LiveImage(image.id, Address.parse("image", image.tags.get(TAG_IMAGE)),
                        image.tags.get(TAG_BAKE_HASH), image.sourceImageId, image.createdAt, image.tags));
            }
        }
        images.sort(Comparator.comparing(LiveImage::address).thenComparingLong(LiveImage::createdAtMillis)
                .thenComparing(LiveImage::imageId));
        List<LiveFleet> fleets = new ArrayList<>();
        Map<String, SimCloud.Refresh> active = cloud.activeRefreshesByGroup();
        for (SimCloud.Fleet fleet : cloud.fleets.values()) {
            SimCloud.Refresh refresh = active.get(fleet.id);
            if (stack.equals(fleet.tags.get(TAG_STACK)) && fleet.tags.containsKey(TAG_FLEET) && !isNewGroup(fleet, refresh)) {
                fleets.add(live(fleet, refresh));
            }
        }
        fleets.sort(Comparator.comparing(LiveFleet::address).thenComparing(LiveFleet::fleetId));
        List<LiveBake> bakes = new ArrayList<>();
        for (SimCloud.Bake bake : cloud.bakes.values()) {
            if (stack.equals(bake.stack)) {
                bakes.add(new LiveBake(bake.id, Address.parse("image", bake.image), bake.bakeHash, bake.startedAt,
                        bakeProgress(bake)));
            }
        }
        bakes.sort(Comparator.comparing(LiveBake::image).thenComparing(LiveBake::id));
        return new LiveState(images, fleets, bakes);
    }

    // --- images ---

    @Override
    public synchronized BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "RunInstances");
        String source = request.sourceImageId();
        SimCloud.Image baked = cloud.images.get(source);
        if (baked != null && !baked.available()) {
            throw new ProviderException("cannot bake " + request.image() + ": its source image " + source
                    + " was deregistered", false);
        }
        if (baked == null && !SimCatalog.isImageId(source)) {
            throw new ProviderException("cannot bake " + request.image() + ": source image \"" + source
                    + "\" is not an image id (ami- and 8 or 17 hex digits)", false);
        }
        Address address = request.image();
        for (SimCloud.Bake left : List.copyOf(cloud.bakes.values())) {
            if (left.stack.equals(request.stack()) && left.image.equals(address.toString())) {
                // a builder an earlier, stopped bake of this image left: nothing will carry it on now
                cloud.bakes.remove(left.id);
                listener.event(address, cloud.clock, "terminated builder " + left.id + ", left by an earlier bake of "
                        + address + " that was stopped");
            }
        }
        SimCloud.Bake bake = course(request, cloud.newId("i"));
        listener.started(address, new OperationHandle("bake", bake.id));
        cloud.bakes.put(bake.id, bake);
        save();
        return driveBake(bake, address, listener);
    }

    /**
     * The whole course of a bake, worked out as it starts (the builder's boot, each step, the image's
     * creation, or where and why it fails), so that a bake carried on after imm stopped goes exactly as it
     * would have, in {@link Timings}; it fails at its timeout.
     */
    private SimCloud.Bake course(BakeRequest request, String builder) {
        Address address = request.image();
        SimCloud.Bake bake = new SimCloud.Bake();
        bake.id = builder;
        bake.stack = request.stack();
        bake.image = address.toString();
        bake.bakeHash = request.bakeHash();
        bake.sourceImageId = request.sourceImageId();
        bake.startedAt = cloud.clock;
        bake.tags = new TreeMap<>(request.tags());
        long deadline = request.timeoutMillis() > 0 ? request.timeoutMillis() : Long.MAX_VALUE;
        bake.offsets.add(0L);
        bake.events.add("launching builder " + builder + " (" + request.instanceType() + ") from " + request.sourceImageId());
        long now = BUILDER_BOOT_MILLIS;
        int count = request.steps().size();
        for (int n = 1; n <= count && now <= deadline; n++) {
            ProvisionStep step = request.steps().get(n - 1);
            bake.offsets.add(now);
            bake.events.add("step " + n + "/" + count + ": " + step.describe());
            String missing = missingFile(step, request.stackDirectory());
            if (missing != null) {
                return failing(bake, now, "bake of " + address + " failed at step " + n + "/" + count + ": "
                        + missing + " does not exist in " + request.stackDirectory());
            }
            now += Timings.step(step);
            if (n == count && faults.bakeFails(address, request.bakeHash()) != null) {
                return failing(bake, now, "bake of " + address + " failed at step " + n + "/" + count + " ("
                        + step.describe() + "): the step exited with status 1 (injected bake_fails)");
            }
        }
        if (count == 0 && faults.bakeFails(address, request.bakeHash()) != null) {
            return failing(bake, now, "bake of " + address + " failed: the image could not be created from builder "
                    + builder + " (injected bake_fails)");
        }
        if (now + IMAGE_CREATION_MILLIS > deadline) {
            return failing(bake, deadline, "bake of " + address + " timed out after "
                    + Durations.format(request.timeoutMillis()) + " (it needs at least "
                    + Durations.format(now + IMAGE_CREATION_MILLIS) + "); raise the image's timeout");
        }
        bake.imageId = cloud.newId("ami");
        bake.imageName = "imm/" + request.stack() + "/" + address + "/" + request.bakeHash().substring(0,
                Math.min(12, request.bakeHash().length()));
        bake.offsets.add(now);
        bake.events.add("creating image " + bake.imageId + " from builder " + builder);
        now += IMAGE_CREATION_MILLIS;
        bake.offsets.add(now);
        bake.events.add("image " + bake.imageId + " available, builder " + builder + " terminated ("
                + Durations.format(now) + ")");
        return bake;
    }

    /** The bake ends at {@code at} with {@code failure}: the builder is terminated. */
    private static SimCloud.Bake failing(SimCloud.Bake bake, long at, String failure) {
        bake.failure = failure;
        bake.offsets.add(at);
        bake.events.add("bake failed, builder " + bake.id + " terminated");
        return bake;
    }

    /**
     * Moves a bake on, event by event, to its end: the image is registered, or the bake fails; either way
     * its builder is gone. The cloud is saved (at most once a second) at every event.
     */
    private BakeResult driveBake(SimCloud.Bake bake, Address address, ProgressListener listener) throws ProviderException {
        while (bake.next < bake.events.size()) {
            int n = bake.next++;
            long at = bake.startedAt + bake.offsets.get(n);
            cloud.clock = Math.max(cloud.clock, at);
            boolean last = bake.next == bake.events.size();
            if (last) {
                cloud.bakes.remove(bake.id);
                if (bake.imageId != null) {
                    SimCloud.Image image = new SimCloud.Image();
                    image.id = bake.imageId;
                    image.name = bake.imageName;
                    image.sourceImageId = bake.sourceImageId;
                    image.createdAt = at;
                    image.tags = new TreeMap<>(bake.tags);
                    image.tags.put(TAG_STACK, bake.stack);
                    image.tags.put(TAG_IMAGE, bake.image);
                    image.tags.put(TAG_BAKE_HASH, bake.bakeHash);
                    cloud.images.put(image.id, image);
                }
            }
            save();
            listener.event(address, at, bake.events.get(n));
            point(() -> "bake " + address + ": " + eventName(bake.events.get(n)));
        }
        if (bake.failure != null) {
            throw new ProviderException(bake.failure, false);
        }
        return new BakeResult(bake.imageId, bake.offsets.get(bake.offsets.size() - 1));
    }

    @Override
    public synchronized BakeResult awaitBake(String bakeId, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "DescribeInstances");
        SimCloud.Bake bake = cloud.bakes.get(bakeId);
        if (bake == null) {
            throw new ProviderException("bake " + bakeId + " is not under way in the simulated cloud (its builder is gone)",
                    false);
        }
        Address address = Address.parse("image", bake.image);
        listener.started(address, new OperationHandle("bake", bake.id));
        listener.event(address, cloud.clock, "bake " + bake.id + " was under way (" + bakeProgress(bake) + "): carrying it on");
        return driveBake(bake, address, listener);
    }

    @Override
    public synchronized void cancelBake(String bakeId) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "TerminateInstances");
        if (cloud.bakes.remove(bakeId) != null) {
            save();
        }
    }

    /** Where a bake is, in words: {@code step 2/3: shell script scripts/app.sh}. */
    private static String bakeProgress(SimCloud.Bake bake) {
        return bake.next == 0 ? "not started" : eventName(bake.events.get(bake.next - 1));
    }

    private static final java.util.regex.Pattern DETAIL = java.util.regex.Pattern.compile(" \\(.*");

    /** A bake's event without its details in parentheses: {@code launching builder i-…}. */
    private static String eventName(String event) {
        return DETAIL.matcher(event).replaceAll("");
    }

    /** The file a step reads that is missing from the stack, or null. */
    private static String missingFile(ProvisionStep step, Path stackDirectory) {
        if (stackDirectory == null) {
            return null;
        }
        String path = step.stackFile();
        return path == null || Files.isRegularFile(stackDirectory.resolve(path)) ? null : path;
    }

    @Override
    public synchronized void retireImage(String imageId) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "DeregisterImage");
        SimCloud.Image image = cloud.images.get(imageId);
        if (image == null) {
            if (catalog.find(imageId).isPresent()) {
                throw new ProviderException("image " + imageId + " is a public image; only images this stack baked"
                        + " can be retired", false);
            }
            throw new ProviderException("image " + imageId + " does not exist in the simulated cloud", false);
        }
        if (!image.available()) {
            return;
        }
        for (SimCloud.Fleet fleet : cloud.fleets.values()) {
            boolean running = fleet.instances.values().stream().anyMatch(i -> i.imageId.equals(imageId));
            if (fleet.launch().imageId().equals(imageId) || running) {
                throw new ProviderException("image " + imageId + " is in use by fleet " + fleetName(fleet)
                        + " (" + fleet.id + "); it cannot be retired", false);
            }
        }
        image.deregisteredAt = cloud.clock;
        save();
        point(() -> "retire " + imageId);
    }

    // --- fleets ---

    @Override
    public synchronized LiveFleet createFleet(FleetRequest request, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "CreateAutoScalingGroup");
        checkSizes(request);
        requireLaunchable(request.launch().imageId());
        String existing = fleetIdsByAddress().get(fleetKey(request.stack(), request.fleet().toString()));
        if (existing != null) {
            throw new ProviderException("fleet " + request.fleet() + " of stack " + request.stack()
                    + " already exists as " + existing, false);
        }
        SimCloud.Fleet fleet = new SimCloud.Fleet();
        fleet.id = cloud.newId("asg");
        Address address = request.fleet();
        listener.started(address, new OperationHandle("create-fleet", fleet.id));
        long start = cloud.clock;
        fleet.createdAt = start;
        fleet.creating = true;
        apply(fleet, request);
        fleet.use(request.launch());
        cloud.fleets.put(fleet.id, fleet);
        fleetIdsByAddress().put(fleetKey(request.stack(), address.toString()), fleet.id);
        save();
        listener.event(address, start, "created group " + fleet.id + " (min " + fleet.min + ", desired "
                + fleet.desired + ", max " + fleet.max + ")");
        point(() -> "create " + address + ": group created");
        return finishCreate(fleet, address, listener);
    }

    /**
     * The end of a fleet's creation: launches what of its desired capacity is not launched yet, and waits
     * until the instances launched are healthy (or not, with an {@code unhealthy} fault).
     */
    private LiveFleet finishCreate(SimCloud.Fleet fleet, Address address, ProgressListener listener) throws ProviderException {
        int missing = fleet.desired - fleet.instances.size();
        if (missing > 0) {
            launchInstances(fleet, missing, address, listener);
            save();
            point(() -> "create " + address + ": instances launched");
        }
        String unhealthy = fleet.instances.isEmpty() ? null
                : awaitHealthy(fleet, List.copyOf(fleet.instances.values()), address, listener);
        fleet.creating = false;
        save();
        point(() -> "create " + address + ": healthy");
        if (unhealthy != null) {
            throw new ProviderException("fleet " + address + " was created as " + fleet.id + " but did not become healthy: "
                    + unhealthy, false).withCreated(fleet.id);
        }
        return live(fleet);
    }

    @Override
    public synchronized LiveFleet awaitCreate(String fleetId, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "DescribeAutoScalingGroups");
        SimCloud.Fleet fleet = fleet(fleetId);
        Address address = fleetName(fleet);
        if (!fleet.creating) {
            return live(fleet);
        }
        listener.started(address, new OperationHandle("create-fleet", fleet.id));
        listener.event(address, cloud.clock, "creating group " + fleet.id + " was under way (" + fleet.instances.size() + " of "
                + fleet.desired + " instances launched): carrying it on");
        return finishCreate(fleet, address, listener);
    }

    @Override
    public synchronized LiveFleet updateFleet(String fleetId, FleetRequest request) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "UpdateAutoScalingGroup");
        SimCloud.Fleet fleet = fleet(fleetId);
        requireNoRefresh(fleet);
        checkSizes(request);
        apply(fleet, request);
        int running = fleet.instances.size();
        if (fleet.desired > running) {
            scaleOut(fleet, fleet.desired - running, request.fleet(), ProgressListener.NONE);
        } else if (fleet.desired < running) {
            fleet.instances.values().stream()
                    .sorted(Comparator.comparingLong((SimCloud.Instance i) -> i.sequence).reversed())
                    .limit(running - fleet.desired)
                    .map(i -> i.id)
                    .toList()
                    .forEach(fleet.instances::remove);
        }
        save();
        point(() -> "update " + request.fleet());
        return live(fleet);
    }

    @Override
    public synchronized RollResult roll(RollRequest request, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "StartInstanceRefresh");
        SimCloud.Fleet fleet = fleet(request.fleetId());
        requireNoRefresh(fleet);
        requireLaunchable(request.launch().imageId());
        long n = cloud.nextNumber("refresh");
        String hex = cloud.hex("refresh", n, 32);
        String refreshId = hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
        SimCloud.Refresh refresh = Rollout.begin(cloud, fleet, request.launch(), request.policy(), refreshId);
        save();
        return drive(rollout(refresh, listener), refresh);
    }

    @Override
    public synchronized RollResult awaitRoll(String rollId, ProgressListener listener) throws ProviderException {
        SimCloud.Refresh refresh = refreshCalled(rollId, "DescribeInstanceRefreshes");
        if (!refresh.inProgress()) {
            return Rollout.result(refresh);
        }
        Rollout rollout = rollout(refresh, listener);
        listener.event(fleetName(cloud.fleets.get(refresh.fleetId)), cloud.clock, "instance refresh " + rollId + " was under way ("
                + refresh.phase.toLowerCase(java.util.Locale.ROOT) + ", " + refresh.replaced + " of " + refresh.total
                + " replaced): carrying it on");
        return drive(rollout, refresh);
    }

    @Override
    public synchronized RollResult rollBack(String rollId, String reason, ProgressListener listener) throws ProviderException {
        SimCloud.Refresh refresh = refreshCalled(rollId, "RollbackInstanceRefresh");
        if (!refresh.inProgress()) {
            return Rollout.result(refresh);
        }
        Rollout rollout = rollout(refresh, listener);
        rollout.requestRollback(reason);
        return drive(rollout, refresh);
    }

    /** The refresh {@code rollId}, looked up by the API call {@code call}. */
    private SimCloud.Refresh refreshCalled(String rollId, String call) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, call);
        SimCloud.Refresh refresh = cloud.refreshes.get(rollId);
        if (refresh == null) {
            throw new ProviderException("instance refresh " + rollId + " does not exist in the simulated cloud", false);
        }
        return refresh;
    }

    /** Takes up a refresh under way, telling the listener its handle. */
    private Rollout rollout(SimCloud.Refresh refresh, ProgressListener listener) {
        Address address = fleetName(cloud.fleets.get(refresh.fleetId));
        listener.started(address, new OperationHandle("roll", refresh.id));
        return new Rollout(cloud, faults, refresh, address, listener);
    }

    /**
     * Moves the refresh on, checkpoint by checkpoint, until it ends; the cloud is saved at checkpoints
     * (at most once a second, as every change is). A blue/green rollout that succeeded leaves the fleet in
     * its new group.
     */
    private RollResult drive(Rollout rollout, SimCloud.Refresh refresh) throws ProviderException {
        timelines.add(rollout.timeline());
        Address address = fleetName(cloud.fleets.get(refresh.fleetId));
        while (rollout.advance()) {
            checkpoint(address);
        }
        if (fleetIds != null && !refresh.resultFleetId.equals(refresh.fleetId)) {
            SimCloud.Fleet moved = cloud.fleets.get(refresh.resultFleetId);
            fleetIds.put(fleetKey(moved.tags.get(TAG_STACK), moved.tags.get(TAG_FLEET)), moved.id);
        }
        save();
        return Rollout.result(refresh);
    }

    /** Testing crash recovery: which crash point halts (none by default), and what halting does. */
    private java.util.function.Predicate<String> crashPoint = point -> false;
    private java.util.function.Consumer<String> crash;
    private long checkpoints;

    /**
     * Testing crash recovery. Every step that changes the cloud passes crash points, named after what it
     * reached ({@code bake image.app: step 1/2: shell inline}, {@code create fleet.web: group created},
     * {@code roll fleet.web: checkpoint 3}, …); at the first one {@code halts} accepts, the cloud is saved
     * (a real cloud keeps every change; only the simulator saves late) and {@code crash} runs with its
     * name, which does not return: the engine halts the process, as {@code kill -9} would ({@code IMM_CRASH_AT},
     * docs/faults.md); tests throw.
     */
    public void crashAt(java.util.function.Predicate<String> halts, java.util.function.Consumer<String> crash) {
        this.crashPoint = halts;
        this.crash = crash;
    }

    /** Halts at the {@code n}-th rollout checkpoint of this session ({@link #crashAt}). */
    public void crashAtCheckpoint(long n, Runnable crash) {
        long[] seen = {0};
        crashAt(point -> isCheckpoint(point) && ++seen[0] == n, point -> crash.run());
    }

    /** Whether a crash point is a rollout checkpoint. */
    public static boolean isCheckpoint(String point) {
        return point.startsWith("roll ");
    }

    /** A crash point ({@link #crashAt}); its name is only made when something listens. */
    private void point(java.util.function.Supplier<String> name) throws ProviderException {
        if (crash == null || ephemeral) {
            return;
        }
        String point = name.get();
        if (crashPoint.test(point)) {
            saveNow();
            crash.accept(point);
        }
    }

    private void checkpoint(Address address) throws ProviderException {
        save();
        checkpoints++;
        long n = checkpoints;
        point(() -> "roll " + address + ": checkpoint " + n);
    }

    /** The rollout checkpoints passed in this session. */
    synchronized long checkpoints() {
        return checkpoints;
    }

    private void requireNoRefresh(SimCloud.Fleet fleet) throws ProviderException {
        SimCloud.Refresh active = cloud.activeRefresh(fleet.id);
        if (active != null) {
            throw new ProviderException("fleet " + fleetName(fleet) + " (" + fleet.id + ") has instance refresh " + active.id
                    + " under way; it must end, or be rolled back, first", false);
        }
    }

    @Override
    public synchronized void destroyFleet(String fleetId, ProgressListener listener) throws ProviderException {
        requireLoaded();
        faults.apiCall(cloud, "DeleteAutoScalingGroup");
        SimCloud.Fleet fleet = fleet(fleetId);
        Address address = fleetName(fleet);
        listener.started(address, new OperationHandle("destroy-fleet", fleetId));
        long start = cloud.clock;
        SimCloud.Refresh active = cloud.activeRefresh(fleetId);
        if (active != null && active.greenId != null && cloud.fleets.containsKey(active.greenId)) {
            SimCloud.Fleet green = cloud.fleets.remove(active.greenId);
            listener.event(address, start, "instance refresh " + active.id + " cancelled: deleting its new group " + green.id
                    + " (" + green.instances.size() + " instances)");
        }
        cloud.refreshes.values().removeIf(r -> r.concerns(fleetId));
        listener.event(address, start, "deleting group " + fleetId + ": terminating " + fleet.instances.size()
                + " instances");
        cloud.fleets.remove(fleetId);
        fleetIds = null; // rebuilt on the next lookup
        cloud.clock = start + (fleet.instances.isEmpty() ? 0 : INSTANCE_TERMINATION_MILLIS);
        save();
        listener.event(address, cloud.clock, "group " + fleetId + " deleted");
        point(() -> "destroy " + address);
    }

    /**
     * Launches {@code count} instances of the current launch version and waits until they are healthy;
     * returns why they did not become healthy (an {@code unhealthy} fault), or null.
     */
    private String scaleOut(SimCloud.Fleet fleet, int count, Address address, ProgressListener listener) {
        if (count <= 0) {
            return null;
        }
        return awaitHealthy(fleet, launchInstances(fleet, count, address, listener), address, listener);
    }

    private List<SimCloud.Instance> launchInstances(SimCloud.Fleet fleet, int count, Address address, ProgressListener listener) {
        List<SimCloud.Instance> launched = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            launched.add(cloud.launch(fleet, fleet.launchVersion, cloud.clock));
        }
        listener.event(address, cloud.clock, "launching " + count + " instances (" + fleet.launch().instanceType()
                + ") from " + fleet.launch().imageId());
        return launched;
    }

    /**
     * Waits until {@code instances}, launched, have booted and passed the health check grace period, and
     * checks their health; returns why one did not become healthy (an {@code unhealthy} fault), or null.
     */
    private String awaitHealthy(SimCloud.Fleet fleet, List<SimCloud.Instance> instances, Address address,
                                ProgressListener listener) {
        long launchedAt = instances.stream().mapToLong(i -> i.launchedAt).max().orElse(cloud.clock);
        long now = Math.max(cloud.clock, launchedAt + INSTANCE_BOOT_MILLIS);
        listener.event(address, now, instances.size() + " instances running; " + fleet.healthType
                + " health check grace period " + Durations.format(fleet.healthGraceMillis));
        now = Math.max(now, launchedAt + INSTANCE_BOOT_MILLIS + fleet.healthGraceMillis);
        String failed = null;
        for (SimCloud.Instance i : instances) {
            i.healthy = faults.unhealthy(cloud.images.get(i.imageId)) == null;
            if (!i.healthy && failed == null) {
                failed = "instance " + i.id + " (" + i.imageId + ") failed its " + fleet.healthType + " health check "
                        + Durations.format(INSTANCE_BOOT_MILLIS + fleet.healthGraceMillis) + " after launch (injected unhealthy)";
            }
        }
        cloud.clock = now;
        listener.event(address, now, fleet.healthyCount() + "/" + fleet.desired + " instances healthy"
                + (failed == null ? "" : "; " + failed));
        return failed;
    }

    /** Sizes, target groups, tags and health check from the request; the launch configuration is left alone. */
    private static void apply(SimCloud.Fleet fleet, FleetRequest request) {
        fleet.min = request.min();
        fleet.max = request.max();
        fleet.desired = request.desired();
        fleet.targetGroups = new ArrayList<>(request.targetGroups());
        fleet.tags = new TreeMap<>(request.tags());
        fleet.tags.put(TAG_STACK, request.stack());
        fleet.tags.put(TAG_FLEET, request.fleet().toString());
        FleetSpec.HealthCheck health = request.health() == null ? FleetSpec.HealthCheck.DEFAULT : request.health();
        fleet.healthType = health.type();
        fleet.healthGraceMillis = health.graceMillis();
    }

    private static void checkSizes(FleetRequest request) throws ProviderException {
        if (request.min() < 0 || request.min() > request.desired() || request.desired() > request.max()) {
            throw new ProviderException("fleet " + request.fleet() + ": sizes must satisfy 0 ≤ min ≤ desired ≤ max"
                    + " (min " + request.min() + ", desired " + request.desired() + ", max " + request.max() + ")",
                    false);
        }
    }

    /** Instances can be launched from available images of this cloud and from the public catalog. */
    private void requireLaunchable(String imageId) throws ProviderException {
        SimCloud.Image image = cloud.images.get(imageId);
        if (image != null && !image.available()) {
            throw new ProviderException("image " + imageId + " was deregistered; instances cannot be launched from it",
                    false);
        }
        if (image == null && catalog.find(imageId).isEmpty()) {
            throw new ProviderException("image " + imageId + " does not exist in the simulated cloud", false);
        }
    }

    private SimCloud.Fleet fleet(String fleetId) throws ProviderException {
        SimCloud.Fleet fleet = cloud.fleets.get(fleetId);
        if (fleet == null) {
            throw new ProviderException("fleet " + fleetId + " does not exist in the simulated cloud", false);
        }
        return fleet;
    }

    private static Address fleetName(SimCloud.Fleet fleet) {
        String tag = fleet.tags.get(TAG_FLEET);
        return tag == null ? Address.of("fleet", fleet.id) : Address.parse("fleet", tag);
    }

    /**
     * The fleet as the cloud has it; during a refresh, with the refresh, and the launch configuration it
     * had before (the new group of a blue/green rollout is part of the refresh, not a fleet of its own).
     */
    private LiveFleet live(SimCloud.Fleet fleet) {
        return live(fleet, cloud.activeRefresh(fleet.id));
    }

    private static LiveFleet live(SimCloud.Fleet fleet, SimCloud.Refresh r) {
        List<LiveInstance> instances = fleet.instances.values().stream()
                .map(i -> new LiveInstance(i.id, i.imageId, i.healthy))
                .toList();
        LiveRoll roll = r == null ? null : new LiveRoll(r.id, r.policy.strategy(), phaseText(r), fleet.launch(r.fromVersion),
                r.target, r.replaced, r.total, r.startedAt, r.policy);
        return new LiveFleet(fleet.id, fleetName(fleet), fleet.launch(), fleet.min, fleet.max, fleet.desired,
                fleet.targetGroups, fleet.tags, instances, roll, fleet.creating);
    }

    /** Where a refresh is, in words: {@code rolling back}, {@code verifying the new group}, … */
    private static String phaseText(SimCloud.Refresh r) {
        return switch (Rollout.Phase.valueOf(r.phase)) {
            case START -> "not started";
            case BATCHES -> r.policy.strategy() == RolloutPolicy.Strategy.CANARY ? "at step " + (r.step + 1) : "";
            case FAILING, ROLLING_BACK, DROP_GREEN, SWITCH_BACK -> "rolling back after: " + r.failure;
            case GREEN -> "launching the new group";
            case VERIFY -> "verifying the new group";
            case DRAIN -> "traffic switched, the old group draining";
            case ENDED -> "ended";
        };
    }

    /** Whether the group is the new group of {@code r}, the blue/green rollout under way on it. */
    private static boolean isNewGroup(SimCloud.Fleet fleet, SimCloud.Refresh r) {
        return r != null && fleet.id.equals(r.greenId);
    }

    // --- persistence ---

    private void requireLoaded() throws ProviderException {
        if (loadFailure != null) {
            throw new ProviderException("cannot read the simulated cloud: " + loadFailure.getMessage()
                    + " (move the file away to start with an empty cloud)", false, loadFailure);
        }
    }

    /** Fleet ids by stack and address, so creating N fleets does not scan N fleets each time; null: rebuild. */
    private java.util.Map<String, String> fleetIds;

    private java.util.Map<String, String> fleetIdsByAddress() {
        if (fleetIds == null) {
            fleetIds = new java.util.HashMap<>();
            Map<String, SimCloud.Refresh> active = cloud.activeRefreshesByGroup();
            for (SimCloud.Fleet f : cloud.fleets.values()) {
                if (!isNewGroup(f, active.get(f.id))) {
                    fleetIds.put(fleetKey(f.tags.get(TAG_STACK), f.tags.get(TAG_FLEET)), f.id);
                }
            }
        }
        return fleetIds;
    }

    private static String fleetKey(String stack, String address) {
        return stack + "\u0000" + address;
    }

    @Override
    public long statePersistIntervalMillis() {
        return SAVE_INTERVAL_MILLIS;
    }

    /**
     * Bakes, fleet creations and rolls are kept in the cloud and can be carried on after imm stopped
     * ({@link #awaitBake}, {@link #awaitCreate}, {@link #awaitRoll}); destroying a fleet ends within the
     * call, so there is nothing of it to find again.
     */
    @Override
    public boolean outlivesCall(OperationHandle handle) {
        return !handle.kind().equals("destroy-fleet");
    }

    /** At most one save per this many milliseconds of wall time while a command runs; {@link #close} saves the rest. */
    static final long SAVE_INTERVAL_MILLIS = 1000;
    private long lastSaveNanos = System.nanoTime();
    private boolean unsaved;

    /**
     * Marks the cloud changed and saves it unless it was saved less than a second ago: writing the whole
     * file after every call would make an apply of N fleets cost N². The engine closes the provider at the
     * end of every command (an interrupted apply too), which saves what is left. Only a killed process can
     * lose up to a second of simulated changes; the next plan then shows them as drift.
     */
    private void save() throws ProviderException {
        if (ephemeral) {
            return;
        }
        unsaved = true;
        if (System.nanoTime() - lastSaveNanos >= SAVE_INTERVAL_MILLIS * 1_000_000L) {
            saveNow();
        }
    }

    @Override
    public synchronized void close() throws ProviderException {
        if (unsaved && !ephemeral) {
            saveNow();
        }
    }

    /**
     * What identifies the saved file as written: a save moves a new file into place, so its file key
     * (inode) changes with every save, and its time and size with most. Null when there is no file.
     */
    private Object fileVersion() {
        try {
            var attributes = Files.readAttributes(directory.resolve(SimCloud.FILE_NAME),
                    java.nio.file.attribute.BasicFileAttributes.class);
            return java.util.List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime(), attributes.size());
        } catch (IOException e) {
            return null;
        }
    }

    /** The cloud saved by what we last loaded or saved; otherwise another imm changed it since. */
    private Object loadedVersion;

    /**
     * Another imm process saved the cloud since this one read it (an apply that held the state lock while
     * this one planned): with nothing of ours unsaved, reading takes up what it saved, as a real cloud
     * would show it.
     */
    private void reloadIfSavedElsewhere() throws ProviderException {
        if (ephemeral || unsaved) {
            return;
        }
        Object now = fileVersion();
        if (java.util.Objects.equals(now, loadedVersion)) {
            return;
        }
        try {
            cloud = SimCloud.load(directory, seed);
            fleetIds = null;
            loadedVersion = now;
        } catch (IOException e) {
            throw new ProviderException("cannot read the simulated cloud: " + e.getMessage(), false, e);
        }
    }

    /** Saves the cloud; when that fails, the cloud in memory goes back to what is on disk. */
    private void saveNow() throws ProviderException {
        try {
            cloud.save(directory);
            loadedVersion = fileVersion();
            unsaved = false;
            lastSaveNanos = System.nanoTime();
        } catch (IOException e) {
            try {
                cloud = SimCloud.load(directory, seed);
                fleetIds = null;
            } catch (IOException reload) {
                e.addSuppressed(reload);
            }
            throw new ProviderException("cannot save the simulated cloud to " + directory.resolve(SimCloud.FILE_NAME)
                    + ": " + e.getMessage(), false, e);
        }
    }
}
