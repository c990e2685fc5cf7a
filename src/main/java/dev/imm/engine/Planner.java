package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.model.Address;
import dev.imm.model.OutputSpec;
import dev.imm.model.SourceResolver;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.PlanInputs;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveImage;
import dev.imm.provider.LiveInstance;
import dev.imm.provider.LiveState;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.Retry;
import dev.imm.state.CommitMessage;
import dev.imm.state.FleetRecord;
import dev.imm.state.HistoryEntry;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One pass from a stack directory to a plan: evaluate (twice when needed: the provider block says which
 * cloud resolves image sources), read the recorded state and the live cloud, diff. Everything it opened
 * (provider, state store) is kept for the apply that may follow.
 */
final class Planner {
    final Stack stack;
    final Diagnostics diagnostics = new Diagnostics();
    final SourceSet sources = new SourceSet();
    Provider provider;
    StateStore store;
    Evaluation evaluation;
    RecordedState recorded;
    Optional<Revision> revision = Optional.empty();
    /** Whether the plan was made against the live cloud (not {@code --refresh=false}). */
    boolean refreshed;
    LiveState live;
    /** Where the plan applies, for its header ({@link Provider#target}); empty on the simulated cloud. */
    String cloud = "";
    /** Rolls an interrupted apply journaled as started: roll id to apply id. */
    Map<String, String> journaled = Map.of();
    /** Container references pinned by address for every evaluation (a rollback's, to the revision's containers). */
    Map<String, String> containerRefs = Map.of();
    /** Set for a destroy: the state it leaves records no outputs. */
    boolean withoutOutputs;

    Planner(Stack stack) {
        this.stack = stack;
    }

    /** The first evaluation: it says which provider and which state repository the stack uses. */
    private Evaluation firstPass;
    private PlanOptions options;

    /**
     * Evaluates the stack with every variable required, to learn its provider and state settings; false
     * (with diagnostics) when it has errors. {@link #readStates} evaluates it again with what they know.
     */
    /**
     * The stack as parsed once, with what parsing and loading it said: every evaluation of this plan
     * (the first, the one with image ids, the one after an apply's bakes) starts from the same files.
     */
    private Module root;
    private final Diagnostics loading = new Diagnostics();

    boolean evaluate(PlanOptions options) {
        this.options = options;
        Diagnostics first = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(loading);
        Stages.end("start");
        root = loader.loadStack(stack.directory());
        Stages.end("parse");
        first.addAll(loading);
        loader.sources().values().forEach(sources::add);
        if (root == null) {
            diagnostics.addAll(first);
            return false;
        }
        var inputs = Engine.inputs(options.variables(), first);
        Providers.Registries registries = new Providers.Registries(stack.directory());
        Evaluation pass = StackEvaluator.evaluate(root, new StackEvaluator.Options(inputs, true, registries), first);
        Stages.end("evaluate");
        if (first.hasErrors()) {
            diagnostics.addAll(first);
            return false;
        }
        StringBuilder why = new StringBuilder();
        provider = Providers.create(pass.desired(), stack, registries, why);
        if (provider == null) {
            diagnostics.add(Diagnostic.error(null, why.toString()));
            return false;
        }
        try {
            cloud = provider.target();
        } catch (ProviderException e) {
            diagnostics.add(Diagnostic.error(null, "cannot reach the \"" + provider.name() + "\" cloud")
                    .withDetail(e.getMessage()));
            return false;
        }
        firstPass = pass;
        evaluation = pass;
        return true;
    }

    /**
     * Evaluates the stack with the provider's source resolver and the ids of the images that exist, so
     * that image ids, and what uses them, are known wherever they can be; null (with diagnostics) on errors.
     */
    Evaluation evaluateWith(Map<String, String> imageIds, Diagnostics into) {
        Diagnostics found = new Diagnostics();
        found.addAll(loading);
        Evaluation result = StackEvaluator.evaluate(root,
                new StackEvaluator.Options(Engine.inputs(options.variables(), found), true, provider.sources(), imageIds,
                        containerRefs), found);
        into.addAll(found);
        return found.hasErrors() ? null : result;
    }

    /** Bake hash to image id, for every image version the state records or the cloud has. */
    Map<String, String> knownImageIds() {
        Map<String, String> ids = new TreeMap<>();
        recorded.images().values().forEach(r -> r.versions().forEach(v -> ids.put(v.bakeHash(), v.imageId())));
        live.images().forEach(i -> ids.putIfAbsent(i.bakeHash(), i.imageId()));
        return ids;
    }

    /** Reads the recorded state (head of the state repository) and, unless told not to, the live cloud. */
    boolean readStates(boolean refresh) {
        refreshed = refresh;
        try {
            store = StateStores.open(stack, firstPass.desired().state());
            revision = store.head();
            recorded = revision.isPresent() ? store.read(revision.get()) : RecordedState.empty(lineage(stack));
            journaled = journaled();
            Stages.end("state read (Git)");
        } catch (StateException e) {
            diagnostics.add(Diagnostic.error(null, "cannot read the state of " + stack.directory())
                    .withDetail(e.getMessage()));
            return false;
        }
        Providers.expectContainers(provider, firstPass.desired().images().values(), recorded);
        try {
            live = refresh ? Retry.call(provider, () -> provider.read(stack.name())) : liveFromRecord(recorded);
            Stages.end("cloud read");
        } catch (ProviderException e) {
            diagnostics.add(Diagnostic.error(null, "cannot read the cloud").withDetail(e.getMessage()));
            return false;
        }
        evaluation = evaluateWith(knownImageIds(), diagnostics);
        Stages.end("evaluate with image ids");
        if (evaluation != null) {
            Providers.declare(provider, evaluation.desired());
            unresolvedSources(evaluation.desired());
        }
        return evaluation != null;
    }

    /** An error for each image source the cloud refused to resolve, saying why (the plan blocks on it too). */
    private void unresolvedSources(dev.imm.model.DesiredState desired) {
        for (dev.imm.model.ImageSpec image : desired.images().values()) {
            String failure = image.bakeHash() == null ? provider.sources().failure(image.source()) : null;
            if (failure != null) {
                diagnostics.add(Diagnostic.error(image.range(), "cannot resolve the source of " + image.address())
                        .withDetail(failure));
            }
        }
    }

    /**
     * The long operations (bakes, creations, rolls) the apply at the head journaled as started (operation
     * id to apply id), when that apply was interrupted (its last commit says {@code in-progress}): they may
     * still be under way in the cloud.
     */
    private Map<String, String> journaled() throws StateException {
        Map<String, String> rolls = new TreeMap<>();
        List<HistoryEntry> head = revision.isEmpty() ? List.of() : store.history(Optional.empty(), 1);
        if (head.isEmpty() || !"in-progress".equals(head.get(0).trailers().get(CommitMessage.STATUS))) {
            return rolls;
        }
        String apply = head.get(0).trailers().get(CommitMessage.APPLY);
        for (HistoryEntry entry : store.history(Optional.empty(), 0)) {
            if (!java.util.Objects.equals(apply, entry.trailers().get(CommitMessage.APPLY))) {
                break;
            }
            String roll = Applier.journaledOperation(entry.trailers().get(Applier.HANDLE));
            if (roll != null) {
                rolls.put(roll, apply);
            }
        }
        return rolls;
    }

    /**
     * The lineage of a new stack's state: derived from its name, so that the same stack applied twice
     * from scratch records byte-identical state (the state repository, not the lineage, tells stacks apart).
     */
    static String lineage(Stack stack) {
        return "imm-" + dev.imm.model.BakeInputs.sha256("lineage:" + stack.name()).substring(0, 24);
    }

    Plan diff(PlanOptions options) {
        PlanInputs inputs = new PlanInputs(stack.name(), evaluation.desired(), recorded, revision.map(Revision::id), live,
                this::recordedBakeInputs, options.replace(), options.targets(), journaled);
        Plan plan = finish(Differ.plan(inputs));
        plan = plan.withChecks(dev.imm.plan.ImageChecks.of(plan, evaluation.desired(), recorded, provider));
        Stages.end("diff");
        return plan;
    }

    /**
     * A computed plan, naming the cloud it applies to and how long its apply is expected to take, on a
     * cloud that runs the apply's default number of steps at once.
     */
    Plan finish(Plan plan) {
        var desired = evaluation.desired();
        return plan.withCloud(cloud).withEstimate(dev.imm.plan.ApplyEstimate.schedule(dev.imm.plan.ApplyOrder.of(plan, desired),
                dev.imm.plan.ApplyEstimate.expected(desired), dev.imm.plan.ApplyEstimate.DEFAULT_PARALLELISM));
    }

    private Optional<String> recordedBakeInputs(String bakeHash) {
        if (revision.isEmpty()) {
            return Optional.empty();
        }
        try {
            return store.readFile(revision.get(), StateFiles.bakeInputs(bakeHash));
        } catch (StateException e) {
            return Optional.empty();
        }
    }

    /** The recorded state seen as if it were the cloud's: {@code --refresh=false}. */
    static LiveState liveFromRecord(RecordedState recorded) {
        List<LiveImage> images = new ArrayList<>();
        for (ImageRecord r : recorded.images().values()) {
            for (ImageVersion v : r.versions()) {
                images.add(LiveImage.of(v.imageId(), r.address(), v.bakeHash(), v.sourceImageId(), v.bakedAtMillis(), Map.of()));
            }
        }
        List<LiveFleet> fleets = new ArrayList<>();
        for (FleetRecord f : recorded.fleets().values()) {
            List<LiveInstance> instances = new ArrayList<>();
            for (int i = 0; i < f.desired(); i++) {
                instances.add(new LiveInstance(f.fleetId() + "-" + i, f.launch().imageId(), true));
            }
            fleets.add(new LiveFleet(f.fleetId(), f.address(), f.launch(), f.min(), f.max(), f.desired(), f.targetGroups(),
                    f.tags(), instances));
        }
        return new LiveState(images, fleets);
    }

    /** The stack's outputs as recorded: rendered values, sensitive ones as {@code (sensitive)}. */
    SortedMap<String, String> outputs() {
        SortedMap<String, String> out = new TreeMap<>();
        if (withoutOutputs) {
            return out;
        }
        for (Map.Entry<Address, OutputSpec> e : evaluation.desired().outputs().entrySet()) {
            Value v = e.getValue().value();
            out.put(e.getKey().name(), e.getValue().sensitive() ? "(sensitive)" : Values.render(v));
        }
        return out;
    }
}
