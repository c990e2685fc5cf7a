package dev.imm.apply;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImageSpec;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceSpec;
import dev.imm.plan.Action;
import dev.imm.plan.ApplyOrder;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.provider.BakeRequest;
import dev.imm.model.PolicyCheck;
import dev.imm.provider.BakeResult;
import dev.imm.provider.FleetRequest;
import dev.imm.model.LaunchConfiguration;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.OperationHandle;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import dev.imm.provider.Retry;
import dev.imm.state.RollAttempt;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Carries out a plan: bakes before the fleets that use them, parent images before the images layered on
 * them, retirements after every fleet has moved; independent steps in parallel (up to
 * {@code parallelism}). A failed step skips only what depends on it: independent branches finish, and
 * all of it is recorded. State is persisted after every step and when a long step starts.
 * {@link #cancel} lets running steps finish and starts no new ones.
 */
public final class Executor {
    private final Provider provider;
    private final StateRecorder recorder;
    private final ApplyHook hook;
    private final int parallelism;
    private final String stack;
    private final Path stackDirectory;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Object stateLock = new Object();
    private final TreeMap<Address, ImageRecord> images = new TreeMap<>();
    private final TreeMap<Address, FleetRecord> fleets = new TreeMap<>();
    private long serial;
    private String lineage;
    private TreeMap<String, String> outputs;
    private final java.util.function.Function<Map<String, String>, DesiredState> afterBakes;
    private DesiredState desired;
    private boolean reevaluated;

    public Executor(Provider provider, StateRecorder recorder, ApplyHook hook, int parallelism, String stack, Path stackDirectory) {
        this(provider, recorder, hook, parallelism, stack, stackDirectory, null);
    }

    /**
     * @param afterBakes evaluates the stack again once the bakes are done, given bake hash to image id,
     *                   so that what uses {@code image.NAME.id} (user data, tags) gets the real id; null
     *                   when nothing needs it
     */
    public Executor(Provider provider, StateRecorder recorder, ApplyHook hook, int parallelism, String stack, Path stackDirectory,
                    java.util.function.Function<Map<String, String>, DesiredState> afterBakes) {
        this.afterBakes = afterBakes;
        this.provider = provider;
        this.recorder = recorder;
        this.hook = hook;
        this.parallelism = provider.sequential() ? 1 : Math.max(1, parallelism);
        this.stack = stack;
        this.stackDirectory = stackDirectory;
    }

    /** Stops starting steps; running ones finish and are recorded. */
    public void cancel() {
        cancelled.set(true);
    }

    public ApplyResult apply(Plan plan, DesiredState desired, RecordedState start,
                             java.util.function.Supplier<Map<String, String>> finalOutputs) {
        this.desired = desired;
        images.putAll(start.images());
        fleets.putAll(start.fleets());
        serial = start.serial();
        lineage = start.lineage();
        outputs = new TreeMap<>(start.outputs());
        List<Task> tasks = tasks(plan, desired);
        Map<ResourceChange, StepOutcome> outcomes = parallelism == 1 ? runInOrder(tasks) : runInParallel(tasks);
        List<ApplyResult.Step> steps = new ArrayList<>();
        for (ResourceChange change : plan.changes()) {
            StepOutcome outcome = outcomes.get(change);
            if (outcome != null) {
                steps.add(new ApplyResult.Step(change, outcome));
            }
        }
        Map<String, String> finalValues = finalOutputs.get();
        synchronized (stateLock) {
            outputs = new TreeMap<>(finalValues);
        }
        return new ApplyResult(steps, current());
    }

    /**
     * A step, the steps whose success it needs ({@code dependsOn}), and the steps it only runs after
     * ({@code waitsFor}: fleets start once every bake has ended, so that the stack is evaluated again
     * with all new image ids; an unrelated bake that failed does not stop them).
     */
    private record Task(ResourceChange change, List<ResourceChange> dependsOn, List<ResourceChange> waitsFor, Step body) {
    }

    /** The desired state with the ids of the images baked so far; evaluated once, after the bakes. */
    private synchronized DesiredState desiredAfterBakes() {
        if (!reevaluated && afterBakes != null) {
            reevaluated = true;
            Map<String, String> ids = new TreeMap<>();
            synchronized (stateLock) {
                images.values().forEach(r -> r.versions().forEach(v -> ids.put(v.bakeHash(), v.imageId())));
            }
            DesiredState again = afterBakes.apply(ids);
            if (again != null) {
                desired = again;
            }
        }
        return desired;
    }

    /** The steps in the order they may run ({@link ApplyOrder}), each with what it does. */
    private List<Task> tasks(Plan plan, DesiredState desired) {
        Map<Address, ImageSpec> images = desired.images();
        List<Task> tasks = new ArrayList<>();
        for (ApplyOrder.Step step : ApplyOrder.of(plan, desired)) {
            ResourceChange change = step.change();
            Step body = switch (change.action()) {
                case BAKE, NO_OP -> () -> image(change, images.get(change.address()));
                case RETIRE -> () -> retire(change);
                default -> () -> fleet(change, desiredAfterBakes());
            };
            tasks.add(new Task(change, step.dependsOn(), step.waitsFor(), body));
        }
        return tasks;
    }

    /** One step at a time, in the order of {@link #tasks}: the order is the same on every run. */
    private Map<ResourceChange, StepOutcome> runInOrder(List<Task> tasks) {
        Map<ResourceChange, StepOutcome> outcomes = new LinkedHashMap<>();
        for (Task task : tasks) {
            List<StepOutcome> deps = new ArrayList<>();
            task.dependsOn().forEach(d -> deps.add(outcomes.get(d)));
            outcomes.put(task.change(), run(task, deps));
        }
        return outcomes;
    }

    /** Every step as soon as the steps it waits for are done, up to {@code parallelism} at once. */
    private Map<ResourceChange, StepOutcome> runInParallel(List<Task> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "imm-apply");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<ResourceChange, CompletableFuture<StepOutcome>> futures = new LinkedHashMap<>();
            for (Task task : tasks) {
                List<CompletableFuture<StepOutcome>> deps = new ArrayList<>();
                task.dependsOn().forEach(d -> deps.add(futures.get(d)));
                List<CompletableFuture<StepOutcome>> before = new ArrayList<>(deps);
                task.waitsFor().forEach(d -> before.add(futures.get(d)));
                futures.put(task.change(), CompletableFuture.allOf(before.toArray(new CompletableFuture[0]))
                        .thenApplyAsync(ignored -> run(task, deps.stream().map(CompletableFuture::join).toList()), pool));
            }
            Map<ResourceChange, StepOutcome> outcomes = new LinkedHashMap<>();
            futures.forEach((change, future) -> outcomes.put(change, future.join()));
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs one step unless a step it waits for did not succeed or the apply was cancelled. */
    private StepOutcome run(Task task, List<StepOutcome> deps) {
        ResourceChange change = task.change();
        StepOutcome outcome;
        if (deps.stream().anyMatch(d -> !d.status().ok())) {
            outcome = new StepOutcome(StepOutcome.Status.SKIPPED, "not attempted: a step it depends on did not succeed", 0);
        } else if (cancelled.get()) {
            outcome = new StepOutcome(StepOutcome.Status.CANCELLED, "not started: the apply was interrupted", 0);
        } else {
            hook.started(change);
            try {
                outcome = task.body().run();
            } catch (ProviderException e) {
                outcome = new StepOutcome(StepOutcome.Status.FAILED, e.getMessage(), 0);
            }
        }
        hook.finished(change, outcome);
        return outcome;
    }

    @FunctionalInterface
    private interface Step {
        StepOutcome run() throws ProviderException;
    }

    /** Calls the cloud, trying again (with backoff) when it says the error is transient. */
    private <T> T retrying(Retry.Call<T> call) throws ProviderException {
        return Retry.call(provider, call);
    }

    /** Forwards progress to the hook and journals handles; remembers the latest (virtual) time seen. */
    private final class Listener implements ProgressListener {
        final AtomicLong firstAt = new AtomicLong(-1);
        final AtomicLong lastAt = new AtomicLong();

        @Override
        public void started(Address address, OperationHandle handle) {
            recorder.started(Executor.this::current, address, handle);
        }

        @Override
        public void event(Address address, long atMillis, String message) {
            firstAt.compareAndSet(-1, atMillis);
            lastAt.accumulateAndGet(atMillis, Math::max);
            hook.progress(address, atMillis, message);
        }

        @Override
        public void capacity(Address address, long atMillis, dev.imm.provider.CapacitySample sample) {
            hook.capacity(address, atMillis, sample);
        }

        @Override
        public void phase(Address address, String kind, long fromMillis, long toMillis, String label) {
            hook.phase(address, kind, fromMillis, toMillis, label);
        }

        long elapsed() {
            return firstAt.get() < 0 ? 0 : lastAt.get() - firstAt.get();
        }
    }

    // ---- images ----

    private StepOutcome image(ResourceChange change, ImageSpec spec) throws ProviderException {
        Address address = change.address();
        if (change.action() == Action.NO_OP) {
            String imageId = change.reasons().get(0).after();
            record(address, new ImageVersion(imageId, spec.bakeHash(), "", 0), "reused " + address + " " + imageId);
            return new StepOutcome(StepOutcome.Status.DONE, "reused " + imageId, 0);
        }
        String sourceId = sourceImageId(spec);
        Listener listener = new Listener();
        BakeRequest request = new BakeRequest(stack, address, spec.bakeHash(), sourceId, spec.instanceType(),
                spec.timeoutMillis(), spec.steps(), stackDirectory, spec.tags(), spec.builder(), spec.container());
        // a bake an interrupted apply left under way is carried on, not started again
        String underWay = reasonPath(change, Differ.RESUME_BAKE);
        BakeResult result = underWay != null ? retrying(() -> provider.awaitBake(underWay, listener))
                : retrying(() -> provider.bake(request, listener));
        record(address, new ImageVersion(result.imageId(), spec.bakeHash(), sourceId, listener.lastAt.get()),
                "baked " + address + " as " + result.imageId());
        // the image exists (and is recorded) either way; one that fails its policy is never rolled to
        List<String> failed = new ArrayList<>();
        for (PolicyCheck check : provider.check(address, result.imageId(), spec.policy())) {
            listener.event(address, listener.lastAt.get(), check.check() + " " + check.verdict().label() + ": " + check.detail());
            if (check.failed()) {
                failed.add(check.check() + ": " + check.detail());
            }
        }
        if (!failed.isEmpty()) {
            return new StepOutcome(StepOutcome.Status.FAILED, "baked " + result.imageId() + " but it fails its policy: "
                    + String.join("; ", failed), result.durationMillis());
        }
        return new StepOutcome(StepOutcome.Status.DONE, result.imageId(), result.durationMillis());
    }

    private String sourceImageId(ImageSpec spec) throws ProviderException {
        if (spec.source() instanceof SourceSpec.ById id) {
            return id.id();
        }
        if (spec.source() instanceof SourceSpec.Layered l) {
            synchronized (stateLock) {
                ImageRecord parent = images.get(l.image());
                if (parent == null || parent.current() == null) {
                    throw new ProviderException(l.image() + " has no baked version to build on", false);
                }
                return parent.current().imageId();
            }
        }
        java.util.Optional<String> id = provider.sources().resolve(spec.source());
        if (id.isPresent()) {
            return id.get();
        }
        String why = provider.sources().failure(spec.source());
        throw new ProviderException("the source of " + spec.address() + " "
                + (why == null ? "matches no image" : "could not be resolved: " + why), false);
    }

    private void record(Address address, ImageVersion version, String summary) {
        synchronized (stateLock) {
            ImageRecord record = images.get(address);
            List<ImageVersion> versions = new ArrayList<>(record == null ? List.of() : record.versions());
            versions.removeIf(v -> v.imageId().equals(version.imageId()));
            versions.add(version);
            images.put(address, new ImageRecord(address, versions));
            serial++;
        }
        recorder.completed(this::current, address, summary);
    }

    /** The path of the change's reason with this code (the id of an operation under way), or null. */
    private static String reasonPath(ResourceChange change, String code) {
        return change.reasons().stream().filter(r -> r.code().equals(code)).map(Reason::path).findFirst().orElse(null);
    }

    private StepOutcome retire(ResourceChange change) throws ProviderException {
        String staleBake = reasonPath(change, Differ.STALE_BAKE);
        if (staleBake != null) {
            retrying(() -> {
                provider.cancelBake(staleBake);
                return null;
            });
            synchronized (stateLock) {
                serial++;
            }
            recorder.completed(this::current, change.address(), "terminated builder " + staleBake + " of a stale bake of "
                    + change.address());
            return new StepOutcome(StepOutcome.Status.DONE, "terminated builder " + staleBake, 0);
        }
        String imageId = change.attributes().get(0).before();
        retrying(() -> {
            provider.retireImage(imageId);
            return null;
        });
        synchronized (stateLock) {
            ImageRecord record = images.get(change.address());
            if (record != null) {
                List<ImageVersion> versions = new ArrayList<>(record.versions());
                versions.removeIf(v -> v.imageId().equals(imageId));
                if (versions.isEmpty()) {
                    images.remove(change.address());
                } else {
                    images.put(change.address(), new ImageRecord(change.address(), versions));
                }
            }
            serial++;
        }
        recorder.completed(this::current, change.address(), "retired " + imageId + " of " + change.address());
        return new StepOutcome(StepOutcome.Status.DONE, "retired " + imageId, 0);
    }

    // ---- fleets ----

    private StepOutcome fleet(ResourceChange change, DesiredState desired) throws ProviderException {
        Address address = change.address();
        FleetSpec spec = desired.fleets().get(address);
        FleetRecord record;
        synchronized (stateLock) {
            record = fleets.get(address);
        }
        Listener listener = new Listener();
        if (change.action() == Action.DESTROY) {
            boolean alreadyGone = change.reasons().stream().anyMatch(r -> r.after().startsWith("already gone"));
            if (!alreadyGone) {
                // the group the cloud has at this address (it may have been recreated outside imm)
                String planned = change.attributes().stream().filter(a -> a.name().equals("fleet_id")).map(a -> a.before())
                        .findFirst().orElse(null);
                String fleetId = planned != null ? planned : record != null ? record.fleetId() : liveFleetId(address);
                retrying(() -> {
                    provider.destroyFleet(fleetId, listener);
                    return null;
                });
            }
            update(address, null, "destroyed " + address);
            return new StepOutcome(StepOutcome.Status.DONE, "destroyed", listener.elapsed());
        }
        ImageRecord image;
        synchronized (stateLock) {
            image = images.get(spec.image());
        }
        if (image == null || image.current() == null) {
            throw new ProviderException(spec.image() + " has no baked version for " + address + " to run", false);
        }
        // a rollback (or a plan that reuses an existing version) names the image id it wants
        String imageId = change.attributes().stream().filter(a -> a.name().equals("image_id")).map(a -> a.after())
                .filter(id -> id.startsWith("ami-")).findFirst().orElse(image.current().imageId());
        ImageVersion version = image.versions().stream().filter(v -> v.imageId().equals(imageId)).findFirst().orElse(image.current());
        LaunchConfiguration launch = Differ.launch(spec, imageId);
        FleetRequest request = new FleetRequest(stack, address, launch, spec.min(), spec.max(), spec.desired(),
                spec.targetGroups(), Differ.tagText(spec.tags()), spec.health(), userData(spec));
        RolloutPolicy policy = spec.rollout() == null ? RolloutPolicy.defaults(address, spec.range())
                : desired.rollouts().getOrDefault(spec.rollout(), RolloutPolicy.defaults(spec.rollout(), spec.range()));
        if (change.action() == Action.CREATE) {
            LiveFleet created = creating(spec, version, launch, () -> provider.createFleet(request, listener));
            update(address, fleetRecord(spec, created.fleetId(), version, launch), "created " + address);
            return new StepOutcome(StepOutcome.Status.DONE, created.fleetId(), listener.elapsed());
        }
        // a creation an interrupted apply left under way ends first; then the group is changed as planned
        String creation = reasonPath(change, Differ.RESUME_CREATE);
        if (creation != null) {
            LiveFleet created = creating(spec, version, launch, () -> provider.awaitCreate(creation, listener));
            record = fleetRecord(spec, created.fleetId(), bakeHashOf(image, created.launch().imageId(), version), created.launch());
            update(address, record, "carried on the interrupted creation of " + address);
        }
        // a roll an interrupted apply left under way is carried on, or turned back, before anything else
        Reason underWay = change.reasons().stream()
                .filter(r -> r.code().equals(Differ.RESUME_ROLL) || r.code().equals(Differ.ROLL_BACK_ROLL))
                .findFirst().orElse(null);
        RollResult earlier = null;
        if (underWay != null) {
            String rollId = underWay.path();
            earlier = underWay.code().equals(Differ.RESUME_ROLL)
                    ? retrying(() -> provider.awaitRoll(rollId, listener))
                    : retrying(() -> provider.rollBack(rollId, "the configuration now wants " + launch.imageId(), listener));
        }
        String fleetId = earlier != null ? earlier.fleetId() : record != null ? record.fleetId() : liveFleetId(address);
        LiveFleet updated = retrying(() -> provider.updateFleet(fleetId, request));
        ImageVersion running = record != null ? bakeHashOf(image, updated.launch().imageId(), version) : version;
        if (change.action() == Action.UPDATE) {
            FleetRecord now = fleetRecord(spec, fleetId, running, updated.launch());
            update(address, record == null ? now : now.withLastAttempt(record.lastAttempt()), "updated " + address + " in place");
            return new StepOutcome(StepOutcome.Status.DONE, "updated in place", 0);
        }
        if (earlier != null) {
            boolean wanted = underWay.code().equals(Differ.RESUME_ROLL) ? earlier.outcome() == RollResult.Outcome.SUCCEEDED
                    : earlier.outcome() != RollResult.Outcome.FAILED;
            if (!wanted) {
                return unfinished(spec, earlier, running, updated.launch(), launch, version);
            }
            if (updated.launch().equals(launch)) {
                String done = underWay.code().equals(Differ.RESUME_ROLL) ? "carried on the interrupted roll of " + address + " to "
                        : "rolled back the interrupted roll of " + address + " to ";
                update(address, fleetRecord(spec, fleetId, version, launch), done + launch.imageId());
                return new StepOutcome(StepOutcome.Status.DONE, done + launch.imageId(), earlier.durationMillis());
            }
        }
        RollResult rolled = retrying(() -> provider.roll(new RollRequest(fleetId, launch, policy, request), listener));
        if (rolled.outcome() == RollResult.Outcome.SUCCEEDED) {
            update(address, fleetRecord(spec, rolled.fleetId(), version, launch), "rolled " + address + " to " + launch.imageId());
            return new StepOutcome(StepOutcome.Status.DONE, "rolled " + rolled.replaced() + " instances to " + launch.imageId()
                    + (rolled.reason().isEmpty() ? "" : " despite: " + rolled.reason()), rolled.durationMillis());
        }
        return unfinished(spec, rolled, running, updated.launch(), launch, version);
    }

    /**
     * Creates a fleet (or waits for a creation under way); a group that exists although it did not become
     * healthy is recorded so, then the failure goes on.
     */
    private LiveFleet creating(FleetSpec spec, ImageVersion version, LaunchConfiguration launch, Retry.Call<LiveFleet> call)
            throws ProviderException {
        try {
            return retrying(call);
        } catch (ProviderException e) {
            if (e.createdId() != null) {
                // the group exists although it did not become healthy: the state must say so
                update(spec.address(), fleetRecord(spec, e.createdId(), version, launch)
                        .withLastAttempt(new RollAttempt("failed", launch.imageId(), version.bakeHash(), e.getMessage())),
                        "created " + spec.address() + " unhealthy");
            }
            throw e;
        }
    }

    /**
     * A roll that did not get where it was going: the fleet stays on the launch configuration it had (a
     * paused roll leaves some instances on the new one), and the record says how the attempt ended.
     */
    private StepOutcome unfinished(FleetSpec spec, RollResult rolled, ImageVersion running, LaunchConfiguration runningLaunch,
                                   LaunchConfiguration wanted, ImageVersion wantedVersion) {
        String outcome = switch (rolled.outcome()) {
            case ROLLED_BACK -> "rolled-back";
            case PAUSED -> "paused";
            default -> "failed";
        };
        FleetRecord stayed = fleetRecord(spec, rolled.fleetId(), running, runningLaunch)
                .withLastAttempt(new RollAttempt(outcome, wanted.imageId(), wantedVersion.bakeHash(), rolled.reason()));
        update(spec.address(), stayed, outcome.replace('-', ' ') + " " + spec.address() + ": " + rolled.reason());
        StepOutcome.Status status = switch (rolled.outcome()) {
            case ROLLED_BACK -> StepOutcome.Status.ROLLED_BACK;
            case PAUSED -> StepOutcome.Status.PAUSED;
            default -> StepOutcome.Status.FAILED;
        };
        return new StepOutcome(status, rolled.reason(), rolled.durationMillis());
    }

    /** The fleet's user data in clear for the cloud (never recorded), or null when it has none. */
    private static String userData(FleetSpec spec) {
        return dev.imm.value.Values.unmarked(spec.userData()) instanceof dev.imm.value.Value.Str s ? s.value() : null;
    }

    /** The cloud id of a fleet the cloud has but the state does not (found by its tags). */
    private String liveFleetId(Address address) throws ProviderException {
        return retrying(() -> provider.read(stack)).fleets().stream().filter(f -> f.address().equals(address)).map(LiveFleet::fleetId)
                .findFirst().orElseThrow(() -> new ProviderException(address + " is not in the cloud", false));
    }

    /** The version of an image with this id, or {@code fallback}. */
    private static ImageVersion bakeHashOf(ImageRecord image, String imageId, ImageVersion fallback) {
        return image.versions().stream().filter(v -> v.imageId().equals(imageId)).findFirst().orElse(fallback);
    }

    private static FleetRecord fleetRecord(FleetSpec spec, String fleetId, ImageVersion version, LaunchConfiguration launch) {
        return new FleetRecord(spec.address(), fleetId, spec.image(), version.bakeHash(), launch, spec.min(), spec.max(),
                spec.desired(), spec.targetGroups(), Differ.tagText(spec.tags()), spec.rollout(), spec.preventDestroy(), null);
    }

    private void update(Address address, FleetRecord record, String summary) {
        synchronized (stateLock) {
            if (record == null) {
                fleets.remove(address);
            } else {
                fleets.put(address, record);
            }
            serial++;
        }
        recorder.completed(this::current, address, summary);
    }

    /**
     * The working state as it is now (a copy): the recorder asks for it only when it commits, since a
     * copy of thousands of fleets for every step it does not commit would make an apply quadratic.
     */
    private RecordedState current() {
        synchronized (stateLock) {
            return new RecordedState(serial, lineage, outputs, images, fleets);
        }
    }
}
