package dev.imm.engine;

import dev.imm.apply.ApplyHook;
import dev.imm.apply.ApplyResult;
import dev.imm.apply.Executor;
import dev.imm.apply.StateRecorder;
import dev.imm.diag.Diagnostic;
import dev.imm.model.Address;
import dev.imm.model.ImageSpec;
import dev.imm.plan.Plan;
import dev.imm.provider.OperationHandle;
import dev.imm.render.PlanJsonRenderer;
import dev.imm.state.CommitInfo;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.Lock;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Applies a prepared plan under the state lock: every completed step (and every long step as it starts)
 * becomes a commit, so an apply stopped anywhere leaves state that says what exists; the last commit
 * holds the plan, the journal and the outcome ({@code Imm-Status}).
 */
final class Applier implements StateRecorder {
    static final Duration LEASE = Duration.ofMinutes(2);
    /** The trailer that journals a long operation as it starts: {@code fleet.web roll <id>}, {@code image.app bake <id>}. */
    static final String HANDLE = "Imm-Handle";

    /** The id of the operation an {@link #HANDLE} trailer names ({@code fleet.web roll <id>}), or null. */
    static String journaledOperation(String trailer) {
        String[] words = trailer == null ? new String[0] : trailer.split(" ");
        return words.length >= 3 ? words[words.length - 1] : null;
    }

    private final Planner planner;
    private final Plan plan;
    private final String applyId;
    private final String author;
    private final LongSupplier clock;
    private final Duration lease;
    /** Testing crash recovery: the process's crash points, or null when a setting is invalid. */
    private final CrashPoints crashPoints = CrashPoints.ofProcess(new StringBuilder());
    private final List<String> journal = new ArrayList<>();
    private final Object commitLock = new Object();
    private volatile StateException failure;
    private Executor executor;
    /** The plan as JSON: its hash is the apply's id, and the last commit keeps it. */
    private final String planJson;
    private Revision last;

    Applier(PreparedPlan prepared, String author, LongSupplier clock) {
        this(prepared, author, clock, LEASE);
    }

    /** With the lock's lease (renewed every quarter of it while the apply runs). */
    Applier(PreparedPlan prepared, String author, LongSupplier clock, Duration lease) {
        this.lease = lease;
        this.planner = prepared.planner;
        this.plan = prepared.plan();
        this.author = author;
        this.clock = clock;
        this.planJson = PlanJsonRenderer.render(plan);
        this.applyId = dev.imm.model.BakeInputs.sha256(planJson).substring(0, 12);
        Stages.end("plan JSON");
    }

    String applyId() {
        return applyId;
    }

    ApplyOutcome run(ApplyHook hook, int parallelism, Duration lockTimeout, Consumer<Executor> onStart) {
        StateStore store = planner.store;
        List<Diagnostic> problems = new ArrayList<>();
        Lock lock;
        try {
            lock = store.lock(author, "apply " + applyId, lease, lockTimeout);
        } catch (StateException e) {
            problems.add(Diagnostic.error(null, "the state is locked").withDetail(e.getMessage()
                    + "\nWait for that apply to end, pass --lock-timeout to wait for it, or run `imm unlock` if it was abandoned."));
            return new ApplyOutcome(null, applyId, null, problems);
        }
        Stages.end("lock taken");
        Diagnostic stale = stale();
        if (stale != null) {
            problems.add(stale);
            release(lock, problems);
            return new ApplyOutcome(null, applyId, null, problems);
        }
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imm-lock-lease");
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleAtFixedRate(() -> {
            if (failure != null) {
                return; // stopped already: the first failure is the one to tell
            }
            try {
                lock.renew();
            } catch (StateException e) {
                failure = e;
                executor.cancel();
            }
        }, lease.toMillis() / 4, lease.toMillis() / 4, TimeUnit.MILLISECONDS);
        try {
            dev.imm.apply.TimelineRecorder timeline = new dev.imm.apply.TimelineRecorder();
            executor = new Executor(planner.provider, this, dev.imm.apply.ApplyHook.both(hook, timeline), parallelism, planner.stack.name(), planner.stack.directory(),
                    ids -> {
                        var again = planner.evaluateWith(ids, new dev.imm.diag.Diagnostics());
                        if (again == null) {
                            return null;
                        }
                        planner.evaluation = again;
                        return again.desired();
                    });
            onStart.accept(executor); // lets the caller cancel it (Ctrl-C)
            Stages.end("checked not stale");
            ApplyResult result = executor.apply(plan, planner.evaluation.desired(), planner.recorded, planner::outputs);
            RecordedState finalState = new RecordedState(result.state().serial() + 1, result.state().lineage(),
                    result.state().outputs(), result.state().images(), result.state().fleets());
            Stages.end("steps");
            synchronized (commitLock) {
                Map<String, String> files = files(finalState);
                files.put(StateFiles.plan(applyId), planJson);
                dev.imm.plan.Timeline ran = timeline.timeline(dev.imm.plan.Timeline.Source.APPLIED, result, plan,
                        planner.evaluation.desired(), parallelism);
                if (ran != null) {
                    files.put(StateFiles.timeline(applyId), dev.imm.render.TimelineJson.render(ran));
                }
                Map<String, String> trailers = new LinkedHashMap<>();
                if (!result.reasons().isEmpty()) {
                    // one line: a trailer cannot span lines
                    trailers.put("Imm-Reason", String.join("; ", result.reasons()).replaceAll("\\s+", " "));
                }
                last = commitOrRemember(finalState, files, summary(result), result.status(), trailers);
            }
            Stages.end("last commit");
            if (failure != null) {
                problems.add(Diagnostic.error(null, "the state could not be saved").withDetail(failure.getMessage()));
            }
            return new ApplyOutcome(result, applyId, last, problems);
        } finally {
            renewer.shutdownNow();
            try {
                planner.provider.close();
            } catch (dev.imm.provider.ProviderException e) {
                problems.add(Diagnostic.error(null, "the cloud's changes could not be saved").withDetail(e.getMessage()));
            }
            Stages.end("cloud saved");
            release(lock, problems);
        }
    }

    private static void release(Lock lock, List<Diagnostic> problems) {
        try {
            lock.release();
        } catch (StateException e) {
            problems.add(Diagnostic.warning(null, "the state lock was not released").withDetail(e.getMessage()));
        }
    }

    /**
     * Under the lock, before anything changes: whether another apply won the race since this plan was
     * made, so that applying it would act on state it has not seen (a lost update). The state must be at
     * the revision the plan was made at (fetched again from the remote, if any), and the cloud as it was;
     * otherwise the apply stops, having changed nothing. Null when the plan still holds.
     */
    private Diagnostic stale() {
        StateStore store = planner.store;
        try {
            store.fetch();
            java.util.Optional<Revision> head = store.head();
            if (!head.map(Revision::id).equals(planner.revision.map(Revision::id))) {
                var last = store.history(java.util.Optional.empty(), 1);
                String by = last.isEmpty() ? "" : " (" + last.get(0).summary() + ", by " + last.get(0).author() + ")";
                return Diagnostic.error(null, "another apply changed the state since this plan was made")
                        .withDetail("The plan was made at " + planner.revision.map(Revision::shortId).orElse("(no state)")
                                + "; the state is now at " + head.map(Revision::shortId).orElse("(no state)") + by
                                + ". Nothing was changed. Run imm apply again to plan from there.");
            }
            if (planner.refreshed) {
                String now = dev.imm.provider.Retry.call(planner.provider, () -> planner.provider.read(planner.stack.name()))
                        .fingerprint();
                if (!now.equals(plan.liveFingerprint())) {
                    return Diagnostic.error(null, "the cloud changed since this plan was made")
                            .withDetail("Something changed the stack's images or fleets after the plan was made."
                                    + " Nothing was changed. Run imm apply again to plan from there.");
                }
            }
        } catch (StateException e) {
            return Diagnostic.error(null, "cannot read the state again under the lock").withDetail(e.getMessage());
        } catch (dev.imm.provider.ProviderException e) {
            return Diagnostic.error(null, "cannot read the cloud again under the lock").withDetail(e.getMessage());
        }
        return null;
    }

    /**
     * A long step starts: a commit whose {@code Imm-Handle} trailer names the operation, so that if imm is
     * stopped during it, the history says what was under way. The commits are the journal; the final
     * commit also writes it out as {@code applies/<id>/journal.txt}.
     */
    @Override
    public void started(Supplier<RecordedState> current, Address address, OperationHandle handle) {
        synchronized (commitLock) {
            String line = "started " + address + " " + handle.kind() + " " + handle.id();
            journal.add(line);
            if (!planner.provider.outlivesCall(handle)) {
                return; // nothing to find again: the operation ends within the call, and its result is committed
            }
            if (handle.kind().equals("create-fleet") && recentlyCommitted()) {
                // a group under way is found in the cloud by its tags, journal or not: creating thousands of
                // fleets must not cost a commit each (bakes and rolls are journaled always)
                pendingSteps++;
                return;
            }
            // always committed, however recently the last commit was: the next run looks for this handle
            String message = "started " + handle.kind() + " of " + address;
            RecordedState state;
            if (recentlyCommitted() && committed != null) {
                // the steps completed since the last commit wait for the next one, as they would without this
                // start (the cloud saves at this pace too): the entry is made on the state as last committed,
                // a commit that writes no tree, so that rolling thousands of fleets costs no tree per roll
                state = committed;
            } else {
                message = withPending(message);
                state = current.get();
            }
            commitOrRemember(state, bakeInputs(state), message, "in-progress",
                    Map.of(HANDLE, address + " " + handle.kind() + " " + handle.id()));
        }
    }

    @Override
    public void completed(Supplier<RecordedState> current, Address address, String summary) {
        synchronized (commitLock) {
            journal.add(summary);
            if (recentlyCommitted()) {
                pendingSteps++;
                return; // the cloud saves at this pace too; the final commit records the rest
            }
            String message = withPending(summary);
            RecordedState state = current.get();
            commitOrRemember(state, bakeInputs(state), message, "in-progress", Map.of());
        }
    }

    /**
     * Whether the last commit is more recent than the provider's persist interval, so that a step's
     * commit can wait for the next one. Halting at crash points, every step is committed: the points are
     * then the same on every run.
     */
    private boolean recentlyCommitted() {
        long interval = crashPoints != null && crashPoints.active() ? 0 : planner.provider.statePersistIntervalMillis();
        return interval > 0 && System.nanoTime() - lastCommitNanos < interval * 1_000_000L;
    }

    private long lastCommitNanos = System.nanoTime();
    private int pendingSteps;

    /** A commit of the working state is made now: its message names the steps it records since the last. */
    private String withPending(String message) {
        String named = pendingSteps == 0 ? message : message + " (and " + pendingSteps + " earlier steps)";
        pendingSteps = 0;
        lastCommitNanos = System.nanoTime();
        return named;
    }
    /** The state the last commit recorded, or null before the first. */
    private RecordedState committed;

    /** The journal, and the canonical bake inputs of every recorded version the stack declares. */
    private Map<String, String> files(RecordedState state) {
        Map<String, String> files = bakeInputs(state);
        files.put(StateFiles.journal(applyId), String.join("\n", journal) + "\n");
        return files;
    }

    /** The canonical bake inputs of every recorded version the stack declares. */
    private Map<String, String> bakeInputs(RecordedState state) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ImageRecord record : state.images().values()) {
            ImageSpec spec = planner.evaluation.desired().images().get(record.address());
            for (ImageVersion v : record.versions()) {
                if (spec != null && v.bakeHash().equals(spec.bakeHash()) && spec.bakeInputs() != null) {
                    files.put(StateFiles.bakeInputs(v.bakeHash()), spec.bakeInputs() + "\n");
                }
            }
        }
        return files;
    }

    private Revision commitOrRemember(RecordedState state, Map<String, String> files, String summary, String status,
                                      Map<String, String> extraTrailers) {
        if (failure != null) {
            return last;
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put("Imm-Apply", applyId);
        trailers.put("Imm-Status", status);
        trailers.putAll(extraTrailers);
        trailers.put("Imm-Serial", String.valueOf(state.serial()));
        try {
            long began = Stages.on() ? System.nanoTime() : 0;
            last = planner.store.commit(state, files, new CommitInfo(summary, "", trailers, author, author + "@imm", clock.getAsLong()));
            committed = state;
            if (Stages.on()) {
                Stages.count("commit", System.nanoTime() - began);
            }
            crashPoint("commit " + state.serial() + ": " + summary);
        } catch (StateException e) {
            failure = e;
            if (executor != null) {
                executor.cancel();
            }
        }
        return last;
    }

    /** Testing crash recovery: halts after this commit when told to ({@link CrashPoints}), the cloud saved first. */
    private void crashPoint(String point) {
        if (crashPoints != null && crashPoints.active() && crashPoints.halts(point)) {
            try {
                planner.provider.close();
            } catch (dev.imm.provider.ProviderException e) {
                System.err.println("imm: " + e.getMessage());
            }
            crashPoints.halt(point);
        }
    }

    /** The final commit's summary line: what the apply did, in a few words. */
    private String summary(ApplyResult result) {
        StringBuilder s = new StringBuilder("apply ").append(applyId).append(": ");
        Map<String, Integer> done = new LinkedHashMap<>();
        for (ApplyResult.Step step : result.steps()) {
            if (step.outcome().status().ok()) {
                done.merge(step.change().action().spelling(), 1, Integer::sum);
            } else if (step.outcome().status() == dev.imm.apply.StepOutcome.Status.ROLLED_BACK) {
                done.merge("rolled back", 1, Integer::sum);
            } else if (step.outcome().status() == dev.imm.apply.StepOutcome.Status.PAUSED) {
                done.merge("paused", 1, Integer::sum);
            }
        }
        if (done.isEmpty()) {
            s.append("nothing done");
        } else {
            List<String> parts = new ArrayList<>();
            done.forEach((action, n) -> parts.add(n + " " + action));
            s.append(String.join(", ", parts));
        }
        return s.append(" (").append(result.status()).append(')').toString();
    }
}
