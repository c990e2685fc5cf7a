package dev.imm.provider.sim;

import dev.imm.apply.ApplyHook;
import dev.imm.apply.ApplyResult;
import dev.imm.apply.Executor;
import dev.imm.apply.StateRecorder;
import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.PlanInputs;
import dev.imm.provider.LiveState;
import dev.imm.provider.ProviderException;
import dev.imm.provider.Retry;
import dev.imm.state.RecordedState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a stack through plan and apply on the simulated cloud as the engine does (evaluate, read the
 * cloud, diff, execute), with the state kept in memory instead of Git: fast enough for a thousand
 * scenarios. The cloud is saved and loaded again between versions, as between two commands.
 *
 * <p>{@link #crashAt} makes the next apply crash at a rollout checkpoint, as a killed process would: the
 * cloud keeps what it saved, the state is the last one "committed" (every roll's start, with its handle,
 * and each completed step only when {@code commitsSteps} says so, as the engine commits on the simulated
 * cloud at most once a second), and the next apply starts from there.
 */
final class RolloutHarness {
    private final Path dir;
    private final long seed;
    RecordedState state = RecordedState.empty("lineage");
    SimProvider provider;
    Plan lastPlan;
    ApplyResult lastApply;
    /** Rolls the crashed apply journaled as started: roll id to apply id. */
    final Map<String, String> journaled = new TreeMap<>();
    private long crashAt;
    private java.util.function.BooleanSupplier commitsSteps;

    /** Thrown at the checkpoint the next apply crashes at. */
    static final class Crash extends RuntimeException {
        Crash() {
            super("crashed at a rollout checkpoint", null, false, false);
        }
    }

    /**
     * The next apply crashes at its {@code checkpoint}-th rollout checkpoint (if it gets that far); a
     * completed step is kept in the state when {@code commitsSteps} says so.
     */
    void crashAt(long checkpoint, java.util.function.BooleanSupplier commitsSteps) {
        this.crashAt = checkpoint;
        this.commitsSteps = commitsSteps;
    }

    /** Plans {@code stack} against the state and the cloud as they are, without applying it. */
    Plan plan(String stack) throws IOException, ProviderException {
        prepare(stack);
        return lastPlan;
    }

    RolloutHarness(Path dir, long seed) {
        this.dir = dir;
        this.seed = seed;
    }

    /** Writes {@code stack} as the stack's main.imm, plans and applies it; the plan and result are kept. */
    ApplyResult apply(String stack) throws IOException, ProviderException {
        DesiredState desired = prepare(stack);
        if (crashAt == 0) {
            lastApply = new Executor(provider, StateRecorder.NONE, ApplyHook.NONE, 1, "scenario", dir).apply(lastPlan, desired, state,
                    TreeMap::new);
            state = lastApply.state();
            journaled.clear();
            return lastApply;
        }
        RecordedState[] committed = {state};
        StateRecorder recorder = new StateRecorder() {
            @Override
            public void started(java.util.function.Supplier<RecordedState> s, Address address, dev.imm.provider.OperationHandle handle) {
                committed[0] = s.get();
                journaled.put(handle.id(), "crashed");
            }

            @Override
            public void completed(java.util.function.Supplier<RecordedState> s, Address address, String summary) {
                if (commitsSteps.getAsBoolean()) {
                    committed[0] = s.get();
                }
            }
        };
        provider.crashAtCheckpoint(crashAt, () -> {
            throw new Crash();
        });
        crashAt = 0;
        try {
            lastApply = new Executor(provider, recorder, ApplyHook.NONE, 1, "scenario", dir).apply(lastPlan, desired, state,
                    TreeMap::new);
            state = lastApply.state();
            journaled.clear();
            return lastApply;
        } catch (Crash crash) {
            state = committed[0];
            provider = null; // gone with the process: nothing more of it is saved
            lastApply = null;
            return null;
        }
    }

    private DesiredState prepare(String stack) throws IOException, ProviderException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.imm"), stack);
        Diagnostics diagnostics = new Diagnostics();
        Module module = new ModuleLoader(diagnostics).loadStack(dir);
        Evaluation evaluation = StackEvaluator.evaluate(module, new StackEvaluator.Options(Map.of(), true,
                dev.imm.model.SourceResolver.NONE), diagnostics);
        if (diagnostics.hasErrors()) {
            throw new IllegalStateException("scenario stack has errors: " + diagnostics.sorted() + "\n" + stack);
        }
        DesiredState desired = evaluation.desired();
        if (provider != null) {
            provider.close();
        }
        provider = new SimProvider(dir.resolve("sim"), seed, desired.provider().faults());
        Map<Address, String> hashes = new TreeMap<>();
        desired.images().forEach((a, i) -> hashes.put(a, i.bakeHash()));
        provider.declareImages(hashes);
        LiveState live = Retry.call(provider, () -> provider.read("scenario"));
        lastPlan = Differ.plan(new PlanInputs("scenario", desired, state, Optional.empty(), live, h -> Optional.empty(),
                Set.of(), Set.of(), journaled));
        return desired;
    }

    List<RolloutTimeline> timelines() {
        return provider.timelines();
    }

    LiveState live() throws ProviderException {
        return Retry.call(provider, () -> provider.read("scenario"));
    }
}
