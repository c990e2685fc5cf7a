package dev.imm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.apply.ApplyHook;
import dev.imm.model.Address;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.plan.Action;
import dev.imm.plan.Plan;
import dev.imm.plan.ResourceChange;
import dev.imm.provider.BakeRequest;
import dev.imm.provider.BakeResult;
import dev.imm.provider.FleetRequest;
import dev.imm.provider.LiveFleet;
import dev.imm.provider.LiveState;
import dev.imm.provider.ProgressListener;
import dev.imm.provider.Provider;
import dev.imm.provider.ProviderException;
import dev.imm.provider.RollRequest;
import dev.imm.provider.RollResult;
import dev.imm.state.Lock;
import dev.imm.state.RecordedState;
import dev.imm.state.git.GitStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.imm.testing.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole stacks through plan, apply, change, plan, apply and rollback on the simulated cloud. */
class LifecycleTest {
    @TempDir
    Path temp;

    private Path quickstart() {
        return TestStacks.copyExample("quickstart", temp, "shop");
    }


    private static PreparedPlan prepare(Path stack) {
        PreparedPlan prepared = new Engine().prepare(stack, PlanOptions.DEFAULT);
        assertFalse(prepared.result().hasErrors(), () -> prepared.result().diagnostics().toString());
        return prepared;
    }

    private static ApplyOutcome apply(PreparedPlan prepared) {
        return new Engine().apply(prepared, ApplyHook.NONE, 4, Duration.ZERO, "test", e -> { });
    }

    private static Map<Address, Action> actions(Plan plan) {
        Map<Address, Action> actions = new java.util.TreeMap<>();
        for (ResourceChange c : plan.changes()) {
            actions.put(c.address(), c.action());
        }
        return actions;
    }

    private static RecordedState head(Path stack) throws Exception {
        try (GitStateStore store = new GitStateStore(new Stack(stack).stateRepository(), "main", null)) {
            return store.read(store.head().orElseThrow());
        }
    }

    @Test
    void bakeCreateChangeRollHistoryAndRollback() throws Exception {
        Path stack = quickstart();
        Address image = Address.of("image", "web");
        Address fleet = Address.of("fleet", "web");

        PreparedPlan first = prepare(stack);
        assertEquals(Map.of(image, Action.BAKE, fleet, Action.CREATE), actions(first.plan()));
        ApplyOutcome created = apply(first);
        assertTrue(created.succeeded(), () -> created.toString());
        RecordedState afterFirst = head(stack);
        String firstImage = afterFirst.images().get(image).current().imageId();
        assertEquals(firstImage, afterFirst.fleets().get(fleet).launch().imageId());

        assertFalse(prepare(stack).plan().hasChanges(), "a second plan has nothing to do");

        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "echo v2\n");
        PreparedPlan second = prepare(stack);
        assertEquals(Map.of(image, Action.BAKE, fleet, Action.ROLL), actions(second.plan()));
        ResourceChange bake = second.plan().changes().get(0);
        assertEquals("script-changed", bake.reasons().get(0).code());
        assertEquals("scripts/install.sh", bake.reasons().get(0).path());
        assertNotNull(second.plan().changes().get(1).estimate());
        assertTrue(apply(second).succeeded());
        RecordedState afterSecond = head(stack);
        String secondImage = afterSecond.images().get(image).current().imageId();
        assertNotEquals(firstImage, secondImage);
        assertEquals(2, afterSecond.images().get(image).versions().size());

        List<ApplyRecord> history = new Engine().history(stack, java.util.Optional.empty(), 10);
        assertEquals(2, history.size());
        assertEquals(List.of("succeeded", "succeeded"), history.stream().map(ApplyRecord::status).toList());
        assertEquals(1, new Engine().history(stack, java.util.Optional.of(fleet), 10).stream()
                .filter(a -> a.summary().contains("create")).count());

        PreparedPlan rollback = new Engine().prepareRollback(stack, java.util.Optional.empty(), PlanOptions.DEFAULT);
        assertEquals(Map.of(fleet, Action.ROLL), actions(rollback.plan()));
        assertTrue(apply(rollback).succeeded());
        RecordedState afterRollback = head(stack);
        assertEquals(firstImage, afterRollback.fleets().get(fleet).launch().imageId(), "the fleet runs the first image again");
        assertEquals(2, afterRollback.images().get(image).versions().size(), "nothing was baked");
        assertEquals(3, new Engine().history(stack, java.util.Optional.empty(), 10).size());
        // the configuration still declares the new image: the next plan rolls forward again, baking nothing
        assertEquals(Map.of(image, Action.NO_OP, fleet, Action.ROLL), actions(prepare(stack).plan()));
    }

    @Test
    void theStateRepositoryHoldsOneFilePerResourceAndReadableCommits() throws Exception {
        Path stack = quickstart();
        assertTrue(apply(prepare(stack)).succeeded());
        try (GitStateStore store = new GitStateStore(new Stack(stack).stateRepository(), "main", null)) {
            var head = store.head().orElseThrow();
            assertTrue(store.readFile(head, "resources/image/web.json").isPresent());
            assertTrue(store.readFile(head, "resources/fleet/web.json").isPresent());
            assertTrue(store.readFile(head, "stack.json").isPresent());
            var entries = store.history(java.util.Optional.empty(), 10);
            assertEquals("succeeded", entries.get(0).trailers().get("Imm-Status"));
            assertTrue(entries.stream().skip(1).allMatch(e -> e.trailers().get("Imm-Status").equals("in-progress")),
                    "every step before the last is recorded as in progress");
            String applyId = entries.get(0).trailers().get("Imm-Apply");
            assertTrue(store.readFile(head, "applies/" + applyId + "/plan.json").isPresent());
            assertTrue(store.readFile(head, "applies/" + applyId + "/journal.txt").orElseThrow().contains("baked image.web"));
        }
    }

    @Test
    void aSecondApplyWaitsForTheLockOrFailsClearly() throws Exception {
        Path stack = quickstart();
        PreparedPlan plan = prepare(stack);
        try (GitStateStore store = new GitStateStore(new Stack(stack).stateRepository(), "main", null);
             Lock held = store.lock("someone-else", "apply 123", Duration.ofMinutes(5), Duration.ZERO)) {
            ApplyOutcome refused = apply(plan);
            assertFalse(refused.succeeded());
            assertTrue(refused.diagnostics().get(0).detail().contains("someone-else"), () -> refused.diagnostics().toString());
        }
        assertFalse(new GitStateStore(new Stack(stack).stateRepository(), "main", null).head().isPresent(),
                "nothing was recorded by the refused apply");
        try (GitStateStore store = new GitStateStore(new Stack(stack).stateRepository(), "main", null)) {
            Lock held = store.lock("someone-else", "apply 123", Duration.ofMinutes(5), Duration.ZERO);
            Thread releaser = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    held.release();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            releaser.start();
            ApplyOutcome waited = new Engine().apply(prepare(stack), ApplyHook.NONE, 1, Duration.ofSeconds(20), "test", e -> { });
            releaser.join();
            assertTrue(waited.succeeded(), () -> waited.diagnostics().toString());
        }
    }

    /** A provider that dies (like a killed process) when a fleet is created, after the bake. */
    private static final class DyingProvider implements Provider {
        private final Provider cloud;

        DyingProvider(Provider cloud) {
            this.cloud = cloud;
        }

        @Override public String name() { return cloud.name(); }
        @Override public boolean sequential() { return true; }
        @Override public SourceResolver sources() { return cloud.sources(); }
        @Override public Set<RolloutPolicy.Strategy> nativeStrategies() { return cloud.nativeStrategies(); }
        @Override public LiveState read(String stack) throws ProviderException { return cloud.read(stack); }
        @Override public BakeResult bake(BakeRequest r, ProgressListener l) throws ProviderException { return cloud.bake(r, l); }
        @Override public LiveFleet createFleet(FleetRequest r, ProgressListener l) { throw new IllegalStateException("killed"); }
        @Override public LiveFleet updateFleet(String id, FleetRequest r) throws ProviderException { return cloud.updateFleet(id, r); }
        @Override public RollResult roll(RollRequest r, ProgressListener l) throws ProviderException { return cloud.roll(r, l); }
        @Override public RollResult awaitRoll(String id, ProgressListener l) throws ProviderException { return cloud.awaitRoll(id, l); }
        @Override public RollResult rollBack(String id, String why, ProgressListener l) throws ProviderException {
            return cloud.rollBack(id, why, l);
        }
        @Override public void destroyFleet(String id, ProgressListener l) throws ProviderException { cloud.destroyFleet(id, l); }
        @Override public void retireImage(String id) throws ProviderException { cloud.retireImage(id); }
        // the cloud keeps what was done when imm dies: the simulator's changes are saved
        @Override public void close() throws ProviderException { cloud.close(); }
    }

    @Test
    void anApplyKilledAfterABakeLeavesStateThatKnowsTheImageAndTheRerunDoesNotBakeAgain() throws Exception {
        Path stack = quickstart();
        PreparedPlan plan = prepare(stack);
        plan.planner.provider = new DyingProvider(plan.planner.provider);
        assertThrows(RuntimeException.class, () -> apply(plan));
        RecordedState left = head(stack);
        assertEquals(1, left.images().size(), "the baked image is in the state");
        assertTrue(left.fleets().isEmpty());
        try (GitStateStore store = new GitStateStore(new Stack(stack).stateRepository(), "main", null)) {
            assertTrue(store.currentLock().isEmpty(), "the lock was released");
        }
        PreparedPlan rerun = prepare(stack);
        assertEquals(Map.of(Address.of("image", "web"), Action.NO_OP, Address.of("fleet", "web"), Action.CREATE),
                actions(rerun.plan()));
        assertTrue(apply(rerun).succeeded());
    }
}
