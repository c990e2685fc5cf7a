package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.eval.VarFiles;
import dev.imm.eval.VariableInput;
import dev.imm.model.SourceResolver;
import dev.imm.apply.ApplyHook;
import dev.imm.apply.ApplyResult;
import dev.imm.apply.Executor;
import dev.imm.apply.StateRecorder;
import dev.imm.provider.ProviderException;
import dev.imm.provider.sim.SimProvider;
import dev.imm.model.Address;
import dev.imm.plan.Plan;
import dev.imm.plan.Rollback;
import dev.imm.state.HistoryEntry;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import dev.imm.state.git.GitStateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The facade the command line and the console call: each operation takes a stack directory and returns
 * its result with its diagnostics. It never prints.
 */
public final class Engine {
    static final String ENV_PREFIX = "IMM_VAR_";

    /**
     * Reads, parses and evaluates the stack in {@code dir} and reports every problem at once. Variables
     * without a value stay unknown, and so do bake hashes whose source only the cloud can resolve.
     */
    public Validation validate(Path dir, VariableSources variables) {
        return validate(dir, variables, SourceResolver.NONE);
    }

    public Validation validate(Path dir, VariableSources variables, SourceResolver resolver) {
        Diagnostics diagnostics = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(diagnostics);
        Module root = loader.loadStack(dir);
        Stages.end("parse");
        SourceSet sources = new SourceSet();
        Evaluation evaluation = null;
        if (root != null) {
            Map<String, VariableInput> inputs = inputs(variables, diagnostics);
            evaluation = StackEvaluator.evaluate(root, new StackEvaluator.Options(inputs, false, resolver), diagnostics);
            Stages.end("evaluate");
        }
        loader.sources().values().forEach(sources::add);
        int files = root == null ? 0 : root.files().size();
        return new Validation(diagnostics.sorted(), sources, files, evaluation);
    }

    /**
     * Evaluates the stack, reads its state and the cloud, and computes the plan. The result keeps the
     * stack open for {@link #apply}.
     */
    public PreparedPlan prepare(Path dir, PlanOptions options) {
        Planner planner = new Planner(new Stack(dir));
        Plan plan = null;
        if (planner.evaluate(options) && planner.readStates(options.refresh())) {
            plan = planner.diff(options);
        }
        return new PreparedPlan(planner, new PlanResult(plan, planner.diagnostics.sorted(), planner.sources,
                planner.evaluation, planner.recorded, planner.revision));
    }

    /**
     * Plans again for a saved plan and checks it still holds: the state revision, the live fingerprint and
     * the plan itself must be what they were. The prepared plan's diagnostics say why when not.
     */
    public PreparedPlan prepareSaved(SavedPlan saved, VariableSources extra) {
        PreparedPlan prepared = prepare(saved.directory(), saved.options(extra));
        Plan plan = prepared.plan();
        if (plan == null) {
            return prepared;
        }
        String was;
        String is;
        try {
            var old = new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.planJson());
            was = old.path("state_revision").isNull() ? null : old.path("state_revision").asText();
            is = plan.stateRevision();
            Diagnostic refusal = null;
            if (!java.util.Objects.equals(was, is)) {
                refusal = Diagnostic.error(null, "the state changed since the plan was made")
                        .withDetail("The plan was made at revision " + (was == null ? "(no state)" : was.substring(0, Math.min(7, was.length())))
                                + "; the state is now at " + lastApply(prepared) + ". Run imm plan again.");
            } else if (!old.path("live_fingerprint").asText().equals(plan.liveFingerprint())) {
                refusal = Diagnostic.error(null, "the cloud changed since the plan was made")
                        .withDetail("Something changed the stack's images or fleets outside this plan. Run imm plan again.");
            } else if (!saved.planJson().equals(dev.imm.render.PlanJsonRenderer.render(plan))) {
                refusal = Diagnostic.error(null, "the stack no longer gives this plan")
                        .withDetail("Its files or variable values differ from when the plan was made (values of sensitive"
                                + " variables are not saved: give them again with -var or IMM_VAR_NAME), or an image source"
                                + " (a name filter, a public parameter) now resolves to another image. Run imm plan again.");
            }
            if (refusal != null) {
                List<Diagnostic> all = new ArrayList<>(prepared.result().diagnostics());
                all.add(refusal);
                PlanResult r = prepared.result();
                return new PreparedPlan(prepared.planner, new PlanResult(null, all, r.sources(), r.evaluation(), r.recorded(), r.revision()));
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a saved plan's plan was read as JSON already", e);
        }
        return prepared;
    }

    private String lastApply(PreparedPlan prepared) {
        try {
            var entries = prepared.planner.store.history(Optional.empty(), 1);
            if (entries.isEmpty()) {
                return "(no state)";
            }
            HistoryEntry e = entries.get(0);
            return e.revision().shortId() + " (" + e.summary() + ", by " + e.author() + ")";
        } catch (StateException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Applies a prepared plan (which must have no blockers) under the state lock, waiting up to
     * {@code lockTimeout} for it. {@code onStart} receives the executor, to cancel it on an interrupt.
     */
    public ApplyOutcome apply(PreparedPlan prepared, ApplyHook hook, int parallelism, Duration lockTimeout, String author,
                              Consumer<Executor> onStart) {
        return new Applier(prepared, author, System::currentTimeMillis).run(hook, parallelism, lockTimeout, onStart);
    }

    /**
     * Runs a prepared plan on a throwaway copy of the simulated cloud (its faults included) and returns
     * how each step went; {@code hook} hears every event in virtual time. Nothing is saved: neither the
     * cloud nor the state. Only the simulated cloud can be rehearsed.
     */
    public ApplyResult rehearse(PreparedPlan prepared, ApplyHook hook) throws ProviderException {
        Planner planner = prepared.planner;
        SimProvider sim = Providers.simulated(planner.provider);
        if (sim == null) {
            throw new ProviderException("only plans for the simulated cloud can be rehearsed; this stack uses provider \""
                    + planner.provider.name() + "\"", false);
        }
        for (var change : prepared.plan().changes()) {
            var spec = planner.evaluation.desired().images().get(change.address());
            if (change.action() == dev.imm.plan.Action.BAKE && spec != null && spec.isContainer()) {
                throw new ProviderException("a rehearsal cannot bake " + change.address() + ": container images are built and"
                        + " pushed for real; apply them first (imm apply --target " + change.address() + ")", false);
            }
        }
        SimProvider copy = sim.rehearsal();
        Executor executor = new Executor(copy, StateRecorder.NONE, hook, 1, planner.stack.name(), planner.stack.directory(), ids -> {
            var again = planner.evaluateWith(ids, new Diagnostics());
            return again == null ? null : again.desired();
        });
        try {
            return executor.apply(prepared.plan(), planner.evaluation.desired(), planner.recorded, planner::outputs);
        } finally {
            copy.close();
        }
    }

    /**
     * The applies of a stack, newest first, one per apply (its last commit); with {@code resource}, only
     * those that changed it.
     */
    public List<ApplyRecord> history(Path dir, Optional<Address> resource, int limit) throws StateException {
        Stack stack = new Stack(dir);
        if (!java.nio.file.Files.isDirectory(stack.stateRepository())) {
            return List.of();
        }
        try (StateStore store = StateStores.open(stack, stateConfig(dir))) {
            List<ApplyRecord> applies = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            String running = runningApply(store);
            for (HistoryEntry e : store.history(resource, Integer.MAX_VALUE)) {
                String id = e.trailers().getOrDefault("Imm-Apply", e.revision().shortId());
                if (seen.add(id)) {
                    String status = e.trailers().getOrDefault("Imm-Status", "unknown");
                    if (status.equals("in-progress") && !id.equals(running)) {
                        // its last commit says it was under way, and no apply holding the lock is it: it was stopped
                        status = "interrupted";
                    }
                    applies.add(new ApplyRecord(id, e.revision(), e.timeMillis(), e.author(), status, e.summary(),
                            e.trailers().getOrDefault("Imm-Reason", "")));
                    if (applies.size() == limit) {
                        break;
                    }
                }
            }
            return applies;
        }
    }

    /**
     * The timeline an apply recorded with its last commit ({@code applies/<id>/timeline.json}); empty when
     * it recorded none (it did nothing, it was interrupted, or an older imm made it).
     */
    public Optional<dev.imm.plan.Timeline> timeline(Path dir, ApplyRecord apply) throws StateException {
        Stack stack = new Stack(dir);
        try (StateStore store = StateStores.open(stack, stateConfig(dir))) {
            Optional<String> text = store.readFile(apply.revision(), StateFiles.timeline(apply.applyId()));
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(dev.imm.render.TimelineJson.read(text.get()));
            } catch (java.io.IOException e) {
                throw new StateException("applies/" + apply.applyId() + "/timeline.json at " + apply.revision().shortId()
                        + " cannot be read: " + e.getMessage());
            }
        }
    }

    /** The id of the apply that holds the state lock now and has not let its lease end, or null. */
    private String runningApply(StateStore store) throws StateException {
        Optional<dev.imm.state.LockInfo> lock = store.currentLock();
        if (lock.isEmpty() || lock.get().expiredAt(System.currentTimeMillis()) || !lock.get().operation().startsWith("apply ")) {
            return null;
        }
        return lock.get().operation().substring("apply ".length());
    }

    /** The recorded state at a revision ({@code HEAD} and short ids work), or empty when there is none. */
    public Optional<Map.Entry<Revision, RecordedState>> show(Path dir, String revision) throws StateException {
        Stack stack = new Stack(dir);
        if (!java.nio.file.Files.isDirectory(stack.stateRepository())) {
            return Optional.empty();
        }
        try (StateStore store = StateStores.open(stack, stateConfig(dir))) {
            Optional<Revision> rev = store.resolve(revision);
            if (rev.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Map.entry(rev.get(), store.read(rev.get())));
        }
    }

    /**
     * A plan that rolls every fleet back to the image it ran at {@code revision} (default: the apply
     * before the last successful one), baking nothing.
     */
    public PreparedPlan prepareRollback(Path dir, Optional<String> revision, PlanOptions options) throws StateException {
        Planner planner = new Planner(new Stack(dir));
        Plan plan = null;
        if (planner.evaluate(options) && planner.readStates(true)) {
            Optional<Revision> target = revision.isPresent() ? planner.store.resolve(revision.get()) : previousSuccess(dir);
            if (target.isEmpty()) {
                planner.diagnostics.add(Diagnostic.error(null, revision.map(r -> "no revision " + r + " in the state history")
                        .orElse("there is no earlier successful apply to go back to"))
                        .withDetail("`imm history` lists the revisions."));
            } else {
                RecordedState then = planner.store.read(target.get());
                // the fleets' user data as it was: the stack evaluated with the containers the revision recorded
                Map<String, String> refs = new java.util.TreeMap<>();
                then.images().values().forEach(r -> {
                    if (r.current() != null && dev.imm.provider.WithContainers.isContainerReference(r.current().imageId())) {
                        refs.put(r.address().toString(), r.current().imageId());
                    }
                });
                if (!refs.isEmpty()) {
                    planner.containerRefs = refs;
                    var again = planner.evaluateWith(planner.knownImageIds(), planner.diagnostics);
                    planner.evaluation = again == null ? planner.evaluation : again;
                }
                plan = planner.finish(Rollback.plan(planner.stack.name(), planner.revision.map(Revision::id).orElse(null), target.get().id(),
                        planner.evaluation.desired(), then, planner.live));
            }
        }
        return new PreparedPlan(planner, new PlanResult(plan, planner.diagnostics.sorted(), planner.sources,
                planner.evaluation, planner.recorded, planner.revision));
    }

    private Optional<Revision> previousSuccess(Path dir) throws StateException {
        List<ApplyRecord> applies = history(dir, Optional.empty(), Integer.MAX_VALUE);
        boolean latestSeen = false;
        for (ApplyRecord a : applies) {
            if (!a.status().equals("succeeded") || a.applyId().startsWith("refresh-")) {
                continue; // a refresh records the cloud; it is not an apply to go back to
            }
            if (latestSeen) {
                return Optional.of(a.revision());
            }
            latestSeen = true;
        }
        return Optional.empty();
    }

    /**
     * The recorded state at HEAD as text, or one resource's record; empty when there is no state (or no
     * such resource).
     */
    public Optional<String> stateText(Path dir, Optional<Address> resource) throws StateException {
        Optional<Map.Entry<Revision, RecordedState>> head = show(dir, "HEAD");
        if (head.isEmpty()) {
            return Optional.empty();
        }
        RecordedState state = head.get().getValue();
        if (resource.isEmpty()) {
            return Optional.of(dev.imm.render.StateTextRenderer.render(head.get().getKey(), state));
        }
        String path = dev.imm.state.StateCodec.pathOf(resource.get());
        byte[] file = dev.imm.state.StateCodec.encode(state).get(path);
        return file == null ? Optional.empty() : Optional.of(new String(file, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The stack's {@code state} block, read without requiring variables (local defaults if it cannot be read). */
    private static dev.imm.model.StateConfig stateConfig(Path dir) {
        Diagnostics quiet = new Diagnostics();
        Module root = new ModuleLoader(quiet).loadStack(dir);
        if (root == null) {
            return dev.imm.model.StateConfig.LOCAL;
        }
        return StackEvaluator.evaluate(root, StackEvaluator.Options.VALIDATE, quiet).desired().state();
    }

    /** Merges the variable sources; later ones win: environment, then var files, then -var. */
    static Map<String, VariableInput> inputs(VariableSources sources, Diagnostics diagnostics) {
        Map<String, VariableInput> inputs = new LinkedHashMap<>();
        new TreeMap<>(sources.environment()).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String variable = name.substring(ENV_PREFIX.length());
                inputs.put(variable, VariableInput.text(variable, value, "the environment variable " + name));
            }
        });
        for (Path file : sources.files()) {
            inputs.putAll(VarFiles.read(file, diagnostics));
        }
        for (String assignment : sources.assignments()) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                diagnostics.add(Diagnostic.error(null, "-var needs NAME=VALUE, got \"" + assignment + "\"")
                        .withDetail("For example: -var env=prod or -var 'zones=[\"a\", \"b\"]'."));
                continue;
            }
            String name = assignment.substring(0, eq);
            inputs.put(name, VariableInput.text(name, assignment.substring(eq + 1), "-var " + name));
        }
        return inputs;
    }

    // ---- destroy (added with the destroy verb; kept apart from the methods above) ----

    /**
     * A plan that destroys every fleet of the stack and retires every recorded image version no remaining
     * fleet uses ({@link dev.imm.plan.DestroyPlan}); a fleet with {@code prevent_destroy} is a blocker. It is
     * applied with {@link #apply} like any plan, and the state it leaves has no outputs.
     */
    public PreparedPlan prepareDestroy(Path dir, PlanOptions options) {
        Planner planner = new Planner(new Stack(dir));
        Plan plan = null;
        if (planner.evaluate(options) && planner.readStates(true)) {
            plan = planner.finish(dev.imm.plan.DestroyPlan.plan(planner.stack.name(), planner.revision.map(Revision::id).orElse(null),
                    planner.evaluation.desired(), planner.recorded, planner.live));
            planner.withoutOutputs = true;
        }
        return new PreparedPlan(planner, new PlanResult(plan, planner.diagnostics.sorted(), planner.sources,
                planner.evaluation, planner.recorded, planner.revision));
    }
}
