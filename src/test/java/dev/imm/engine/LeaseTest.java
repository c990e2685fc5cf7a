package dev.imm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.apply.ApplyHook;
import dev.imm.model.Address;
import dev.imm.plan.Plan;
import dev.imm.state.StateException;
import dev.imm.state.git.GitStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An apply that runs longer than its lock's lease keeps the lock (the lease is renewed while it runs), so
 * another apply cannot take it over; and an apply whose lock is broken meanwhile stops starting steps,
 * records what it did, and the next apply finishes the rest.
 */
class LeaseTest {
    private static final Duration LEASE = Duration.ofMillis(400);

    @TempDir
    Path temp;

    private static String stack(int desired) {
        StringBuilder s = new StringBuilder("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n"
                + "  provision \"shell\" { inline = [\"install app\"] }\n}\n");
        for (int i = 0; i < 12; i++) {
            s.append("\nfleet \"f").append(i).append("\" {\n  image = image.app\n  instance_type = \"t3.small\"\n  min = 1\n")
                    .append("  max = 6\n  desired = ").append(desired).append("\n}\n");
        }
        return s.toString();
    }

    /** Slows every step down (wall time), and runs {@code during} once, while the second step runs. */
    private static ApplyHook slow(Consumer<Integer> during) {
        AtomicInteger steps = new AtomicInteger();
        return new ApplyHook() {
            @Override
            public void started(dev.imm.plan.ResourceChange change) {
                int n = steps.incrementAndGet();
                sleep(150);
                during.accept(n);
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ApplyOutcome apply(Path dir, ApplyHook hook) {
        PreparedPlan prepared = new Engine().prepare(dir, PlanOptions.DEFAULT);
        Plan plan = prepared.plan();
        assertNotNull(plan, prepared.result().diagnostics().toString());
        return new Applier(prepared, "alice", System::currentTimeMillis, LEASE).run(hook, 1, Duration.ZERO, e -> { });
    }

    @Test
    void aLongApplyRenewsItsLeaseAndKeepsTheLock() throws Exception {
        Path dir = temp.resolve("stack");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.imm"), stack(2));
        int[] refused = {0};
        // 13 steps of 150 ms: the apply outlives its 400 ms lease several times over
        ApplyOutcome outcome = apply(dir, slow(n -> {
            if (n % 3 == 0) {
                try (GitStateStore other = new GitStateStore(dir.resolve(".imm/state.git"), "main", null)) {
                    StateException e = assertThrows(StateException.class,
                            () -> other.lock("bob", "apply other", LEASE, Duration.ZERO));
                    assertTrue(e.getMessage().contains("state is locked by alice"), e.getMessage());
                    refused[0]++;
                }
            }
        }));
        assertTrue(outcome.succeeded(), outcome.diagnostics().toString());
        assertEquals(4, refused[0]);
        try (GitStateStore store = new GitStateStore(dir.resolve(".imm/state.git"), "main", null)) {
            assertTrue(store.currentLock().isEmpty(), "released at the end");
        }
    }

    @Test
    void anApplyWhoseLockIsBrokenStopsAndTheNextOneFinishes() throws Exception {
        Path dir = temp.resolve("stack");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.imm"), stack(2));
        ApplyOutcome outcome = apply(dir, slow(n -> {
            if (n == 2) {
                try (GitStateStore other = new GitStateStore(dir.resolve(".imm/state.git"), "main", null)) {
                    other.breakLock();
                } catch (StateException e) {
                    throw new AssertionError(e);
                }
                sleep(LEASE.toMillis()); // the renewal finds the lock gone
            }
        }));
        assertFalse(outcome.succeeded());
        assertTrue(outcome.diagnostics().toString().contains("the state lock was broken"), outcome.diagnostics().toString());
        assertTrue(outcome.result().steps().stream().anyMatch(s -> s.outcome().status() == dev.imm.apply.StepOutcome.Status.CANCELLED),
                "later steps were not started");

        ApplyOutcome again = apply(dir, ApplyHook.NONE);
        assertTrue(again.succeeded(), again.diagnostics().toString());
        PreparedPlan after = new Engine().prepare(dir, PlanOptions.DEFAULT);
        assertTrue(after.plan().changes().stream().allMatch(c -> c.action() == dev.imm.plan.Action.NO_OP), "nothing left to do");
        assertEquals(12, after.result().recorded().fleets().size());
        assertTrue(after.result().recorded().fleets().containsKey(Address.of("fleet", "f11")));
    }
}
