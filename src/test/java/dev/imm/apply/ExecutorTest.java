package dev.imm.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.eval.EvalTestSupport;
import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.LaunchConfiguration;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.plan.Differ;
import dev.imm.plan.Plan;
import dev.imm.plan.PlanInputs;
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
import dev.imm.state.RecordedState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The executor's walk of a plan, with a fake cloud that runs calls in parallel. */
class ExecutorTest {

    private static final String STACK = String.join("\n",
            "image \"a\" {", "  source { id = \"ami-0123456789abcdef0\" }", "}",
            "image \"b\" {", "  source { id = \"ami-0123456789abcdef0\" }", "  provision \"shell\" { inline = [\"b\"] }", "}",
            "image \"c\" {", "  source { image = image.b }", "}",
            "fleet \"fa\" {", "  image = image.a", "  instance_type = \"t3.small\"", "  min = 1", "  max = 1", "}",
            "fleet \"fc\" {", "  image = image.c", "  instance_type = \"t3.small\"", "  min = 1", "  max = 1", "}", "");

    /** Bakes image b fail; everything else succeeds. Records the order of calls. */
    private static final class FakeCloud implements Provider {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch bothBaking = new CountDownLatch(2);
        volatile boolean overlapped;

        @Override public String name() { return "fake"; }
        @Override public SourceResolver sources() { return SourceResolver.NONE; }
        @Override public Set<RolloutPolicy.Strategy> nativeStrategies() { return Set.of(); }
        @Override public LiveState read(String stack) { return new LiveState(List.of(), List.of()); }

        @Override
        public BakeResult bake(BakeRequest request, ProgressListener listener) throws ProviderException {
            calls.add("bake " + request.image());
            listener.started(request.image(), new OperationHandle("bake", request.image().name()));
            bothBaking.countDown();
            try {
                overlapped |= bothBaking.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (request.image().name().equals("b")) {
                throw new ProviderException("builder failed its health check", false);
            }
            return new BakeResult("ami-" + request.image().name() + "0000000000000000", 1000);
        }

        @Override
        public LiveFleet createFleet(FleetRequest request, ProgressListener listener) {
            calls.add("create " + request.fleet());
            return new LiveFleet("asg-" + request.fleet().name(), request.fleet(), request.launch(), request.min(), request.max(),
                    request.desired(), request.targetGroups(), request.tags(), List.of());
        }

        @Override public LiveFleet updateFleet(String id, FleetRequest r) { throw new AssertionError("no update planned"); }
        @Override public RollResult roll(RollRequest r, ProgressListener l) { throw new AssertionError("no roll planned"); }
        @Override public RollResult awaitRoll(String id, ProgressListener l) { throw new AssertionError("no roll under way"); }
        @Override public RollResult rollBack(String id, String why, ProgressListener l) { throw new AssertionError("no roll under way"); }
        @Override public void destroyFleet(String id, ProgressListener l) { throw new AssertionError("no destroy planned"); }
        @Override public void retireImage(String id) { throw new AssertionError("no retire planned"); }
    }

    private static final class Recorder implements StateRecorder {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void started(java.util.function.Supplier<RecordedState> state, Address address, OperationHandle handle) {
            events.add("started " + address);
        }

        @Override
        public void completed(java.util.function.Supplier<RecordedState> state, Address address, String summary) {
            events.add(summary + " @" + state.get().serial());
        }
    }

    @Test
    void independentBranchesFinishWhenOneFailsAndDependentsAreSkipped() {
        DesiredState desired = EvalTestSupport.evaluate(STACK);
        RecordedState empty = RecordedState.empty("lineage");
        Plan plan = Differ.plan(new PlanInputs("s", desired, empty, Optional.empty(), new LiveState(List.of(), List.of()),
                hash -> Optional.empty(), Set.of(), Set.of()));
        FakeCloud cloud = new FakeCloud();
        Recorder recorder = new Recorder();
        ApplyResult result = new Executor(cloud, recorder, ApplyHook.NONE, 4, "s", null)
                .apply(plan, desired, empty, Map::of);

        Map<String, StepOutcome.Status> outcomes = new java.util.TreeMap<>();
        result.steps().forEach(s -> outcomes.put(s.change().address().toString(), s.outcome().status()));
        assertEquals(Map.of("image.a", StepOutcome.Status.DONE, "image.b", StepOutcome.Status.FAILED,
                "image.c", StepOutcome.Status.SKIPPED, "fleet.fa", StepOutcome.Status.DONE,
                "fleet.fc", StepOutcome.Status.SKIPPED), outcomes);
        assertEquals("failed", result.status());
        assertTrue(cloud.overlapped, "independent bakes ran at the same time");
        assertTrue(cloud.calls.indexOf("create fleet.fa") > cloud.calls.indexOf("bake image.a"), "a fleet waits for its image");
        assertTrue(recorder.events.contains("started image.a"), "a long step is journaled before it runs");
        assertTrue(recorder.events.stream().anyMatch(e -> e.startsWith("created fleet.fa")), recorder.events.toString());
        assertEquals(1, result.state().fleets().size(), "the state holds exactly what exists");
        assertEquals(1, result.state().images().size());
        LaunchConfiguration launch = result.state().fleets().values().iterator().next().launch();
        assertEquals("ami-a0000000000000000", launch.imageId());
    }

    @Test
    void aCancelledApplyStartsNothingNew() {
        DesiredState desired = EvalTestSupport.evaluate(STACK);
        RecordedState empty = RecordedState.empty("lineage");
        Plan plan = Differ.plan(new PlanInputs("s", desired, empty, Optional.empty(), new LiveState(List.of(), List.of()),
                hash -> Optional.empty(), Set.of(), Set.of()));
        Executor executor = new Executor(new FakeCloud(), new Recorder(), ApplyHook.NONE, 1, "s", null);
        executor.cancel();
        ApplyResult result = executor.apply(plan, desired, empty, Map::of);
        assertTrue(result.steps().stream().allMatch(s -> s.outcome().status() == StepOutcome.Status.CANCELLED
                || s.outcome().status() == StepOutcome.Status.SKIPPED), result.steps().toString());
        assertTrue(result.state().images().isEmpty());
    }

}
