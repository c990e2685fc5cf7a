package dev.imm.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.imm.model.Address;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplyEstimateTest {
    private static ResourceChange change(String kind, String name, Action action) {
        return new ResourceChange(Address.of(kind, name), action, List.of(), List.of(), null, false);
    }

    private final ResourceChange bakeA = change("image", "a", Action.BAKE);
    private final ResourceChange bakeB = change("image", "b", Action.BAKE);
    private final ResourceChange rollA = change("fleet", "a", Action.ROLL);
    private final ResourceChange rollB = change("fleet", "b", Action.ROLL);
    private final ResourceChange retire = change("image", "a", Action.RETIRE);
    private final Map<ResourceChange, Long> took = Map.of(bakeA, 10L, bakeB, 20L, rollA, 7L, rollB, 5L, retire, 0L);

    /** As the executor orders them: fleets need their image and wait for every bake; retirements come last. */
    private List<ApplyOrder.Step> steps() {
        return List.of(new ApplyOrder.Step(bakeA, List.of(), List.of()), new ApplyOrder.Step(bakeB, List.of(), List.of()),
                new ApplyOrder.Step(rollA, List.of(bakeA), List.of(bakeA, bakeB)),
                new ApplyOrder.Step(rollB, List.of(bakeB), List.of(bakeA, bakeB)),
                new ApplyOrder.Step(retire, List.of(bakeA, bakeB, rollA, rollB), List.of()));
    }

    @Test
    void parallelWorkOverlapsAndTheLongestChainIsTheCriticalPath() {
        ApplyEstimate e = ApplyEstimate.schedule(steps(), took::get, 4);
        assertEquals(27, e.durationMillis()); // both bakes at once (20), then both rolls at once (7)
        assertEquals(List.of(Address.of("image", "b"), Address.of("fleet", "a")), e.criticalPath());
    }

    @Test
    void oneStepAtATimeAddsEverythingUp() {
        ApplyEstimate e = ApplyEstimate.schedule(steps(), took::get, 1);
        assertEquals(42, e.durationMillis());
        assertEquals(4, e.criticalPath().size()); // each step waited for the one before it on the only worker
    }

    @Test
    void twoWorkersMakeTheRollsQueue() {
        ResourceChange rollC = change("fleet", "c", Action.ROLL);
        List<ApplyOrder.Step> steps = List.of(new ApplyOrder.Step(bakeA, List.of(), List.of()),
                new ApplyOrder.Step(rollA, List.of(bakeA), List.of(bakeA)),
                new ApplyOrder.Step(rollB, List.of(bakeA), List.of(bakeA)),
                new ApplyOrder.Step(rollC, List.of(bakeA), List.of(bakeA)));
        ApplyEstimate e = ApplyEstimate.schedule(steps, c -> c == bakeA ? 10 : 6, 2);
        assertEquals(22, e.durationMillis()); // the third roll waits for a worker: 10 + 6 + 6
        // both rolls end at 16; the worker freed first by number (the one that baked, then ran fleet.b) takes fleet.c
        assertEquals(List.of(Address.of("image", "a"), Address.of("fleet", "b"), Address.of("fleet", "c")), e.criticalPath());
    }

    @Test
    void nothingToDoHasNoEstimate() {
        assertNull(ApplyEstimate.schedule(List.of(new ApplyOrder.Step(change("fleet", "a", Action.NO_OP), List.of(), List.of())),
                c -> 5, 4));
    }
}
