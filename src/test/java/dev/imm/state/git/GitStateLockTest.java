package dev.imm.state.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.state.Lock;
import dev.imm.state.LockInfo;
import dev.imm.state.StateException;
import dev.imm.state.TestStates.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStateLockTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    private final MutableClock clock = new MutableClock(T0);

    /** A store as another process would open it: its own repository object over the same directory. */
    private GitStateStore process() {
        return new GitStateStore(tmp.resolve("state.git"), "main", null, clock);
    }

    @Test
    void aSecondLockFailsWithWhoHoldsItForWhatAndUntilWhen() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process()) {
            Lock held = a.lock("alice@laptop", "apply 3f2a", LEASE, Duration.ZERO);
            assertEquals(new LockInfo("alice@laptop", "apply 3f2a", T0, T0 + LEASE.toMillis()), held.info());
            assertEquals(Optional.of(held.info()), b.currentLock());
            StateException e = assertThrows(StateException.class, () -> b.lock("bob@ci", "destroy", LEASE, Duration.ZERO));
            assertEquals("state is locked by alice@laptop since 2023-11-14T22:13:20Z for apply 3f2a; "
                    + "lease ends 2023-11-14T22:18:20Z. If that process is gone, `imm unlock` breaks the lock", e.getMessage());
            held.release();
            assertEquals(Optional.empty(), b.currentLock());
            try (Lock mine = b.lock("bob@ci", "destroy", LEASE, Duration.ZERO)) {
                assertEquals("bob@ci", b.currentLock().orElseThrow().owner());
            }
            assertEquals(Optional.empty(), a.currentLock());
        }
    }

    @Test
    void waitsForTheHolderToRelease() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (GitStateStore a = process(); GitStateStore b = process()) {
            Lock held = a.lock("alice", "apply", LEASE, Duration.ZERO);
            Future<?> releaser = pool.submit(() -> {
                Thread.sleep(400);
                held.release();
                return null;
            });
            long start = System.nanoTime();
            try (Lock mine = b.lock("bob", "apply", LEASE, Duration.ofSeconds(20))) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= 300, "waited only " + waited + " ms");
                assertEquals("bob", mine.info().owner());
            }
            releaser.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givesUpAfterWaitingAndSaysSo() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process()) {
            a.lock("alice", "apply", LEASE, Duration.ZERO);
            long start = System.nanoTime();
            StateException e = assertThrows(StateException.class, () -> b.lock("bob", "apply", LEASE, Duration.ofMillis(600)));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 550);
            assertTrue(e.getMessage().startsWith("state is locked by alice since"), e.getMessage());
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderFindsOut() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process()) {
            Lock old = a.lock("alice", "apply 1", LEASE, Duration.ZERO);
            clock.advance(LEASE.minusSeconds(1));
            assertThrows(StateException.class, () -> b.lock("bob", "apply 2", LEASE, Duration.ZERO));
            clock.advance(Duration.ofSeconds(1));
            Lock taken = b.lock("bob", "apply 2", LEASE, Duration.ZERO);
            assertEquals("bob", b.currentLock().orElseThrow().owner());
            StateException e = assertThrows(StateException.class, old::renew);
            assertTrue(e.getMessage().startsWith("the state lock was taken over by bob for apply 2"), e.getMessage());
            old.release(); // not alice's any more: bob's lock stays
            assertEquals(Optional.of(taken.info()), a.currentLock());
            taken.release();
            assertEquals(Optional.empty(), a.currentLock());
        }
    }

    @Test
    void renewingExtendsTheLease() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process()) {
            Lock held = a.lock("alice", "apply", LEASE, Duration.ZERO);
            clock.advance(Duration.ofMinutes(4));
            held.renew();
            LockInfo renewed = b.currentLock().orElseThrow();
            assertEquals(new LockInfo("alice", "apply", T0, T0 + Duration.ofMinutes(9).toMillis()), renewed);
            assertEquals(renewed, held.info());
            clock.advance(Duration.ofMinutes(3)); // past the first lease, within the renewed one
            assertThrows(StateException.class, () -> b.lock("bob", "apply", LEASE, Duration.ZERO));
            held.release();
            assertThrows(StateException.class, held::renew);
        }
    }

    @Test
    void breakingTheLockShownLeavesALockTakenOverInBetweenAlone() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process(); GitStateStore c = process()) {
            a.lock("alice", "apply", LEASE, Duration.ZERO);
            LockInfo shown = c.currentLock().orElseThrow();
            clock.advance(LEASE.plusSeconds(1)); // alice's lease ends; bob takes the lock over
            Lock bobs = b.lock("bob", "apply", LEASE, Duration.ZERO);
            StateException e = assertThrows(StateException.class, () -> c.breakLock(shown));
            assertTrue(e.getMessage().contains("now held by bob"), e.getMessage());
            assertEquals(bobs.info(), c.currentLock().orElseThrow(), "bob keeps the lock");
            c.breakLock(bobs.info());
            assertEquals(Optional.empty(), c.currentLock());
        }
    }

    @Test
    void breakingTheLockStopsItsHolder() throws Exception {
        try (GitStateStore a = process(); GitStateStore b = process()) {
            Lock held = a.lock("alice", "apply", LEASE, Duration.ZERO);
            b.breakLock();
            assertEquals(Optional.empty(), a.currentLock());
            StateException e = assertThrows(StateException.class, held::renew);
            assertTrue(e.getMessage().startsWith("the state lock was broken (imm unlock) while apply held it"), e.getMessage());
            b.breakLock(); // nothing to break
            b.lock("bob", "apply", LEASE, Duration.ZERO).release();
        }
    }

    @Test
    void twoProcessesRacingForTheLockNeverBothWin() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 40; round++) {
                boolean expiredBefore = round % 2 == 1;
                if (expiredBefore) {
                    try (GitStateStore s = process()) {
                        s.lock("ghost", "apply", Duration.ofSeconds(1), Duration.ZERO);
                    }
                    clock.advance(Duration.ofSeconds(2));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Lock>> attempts = new ArrayList<>();
                List<GitStateStore> stores = List.of(process(), process());
                for (int i = 0; i < 2; i++) {
                    GitStateStore store = stores.get(i);
                    String owner = "p" + i;
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            return store.lock(owner, "apply", LEASE, Duration.ZERO);
                        } catch (StateException e) {
                            return null;
                        }
                    }));
                }
                List<Lock> won = new ArrayList<>();
                for (Future<Lock> f : attempts) {
                    Lock l = f.get(30, TimeUnit.SECONDS);
                    if (l != null) {
                        won.add(l);
                    }
                }
                assertEquals(1, won.size(), "round " + round + ": winners " + won.size());
                assertEquals(won.get(0).info(), stores.get(0).currentLock().orElseThrow());
                won.get(0).release();
                stores.forEach(GitStateStore::close);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
