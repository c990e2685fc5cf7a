package dev.imm.engine;

import dev.imm.state.LockInfo;
import dev.imm.state.StateException;
import dev.imm.state.git.GitStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code imm unlock}: looks at the state lock of a stack and breaks it when its lease has ended, or
 * whatever its lease when forced. A live lock is left alone without force: its holder renews the lease
 * while it works. A lock that cannot be read is broken (it says nothing that could be respected). The
 * lock belongs to the local state repository, so neither the stack's configuration nor a remote is read.
 */
public final class Unlocker {
    private final LongSupplier clock;

    public Unlocker() {
        this(System::currentTimeMillis);
    }

    public Unlocker(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * What was found and done: the lock (empty when there was none, or it could not be read; then
     * {@code unreadable} says why), whether its lease had ended, and whether it was broken.
     */
    public record Outcome(Optional<LockInfo> lock, boolean expired, boolean broken, String unreadable) {
        public static final Outcome NOT_LOCKED = new Outcome(Optional.empty(), false, false, null);
    }

    public Outcome unlock(Path dir, boolean force) throws StateException {
        Stack stack = new Stack(dir);
        if (!Files.isDirectory(stack.stateRepository())) {
            return Outcome.NOT_LOCKED;
        }
        try (GitStateStore store = new GitStateStore(stack.stateRepository(), null, null)) {
            Optional<LockInfo> lock;
            try {
                lock = store.currentLock();
            } catch (StateException unreadable) {
                store.breakLock();
                return new Outcome(Optional.empty(), false, true, unreadable.getMessage());
            }
            if (lock.isEmpty()) {
                return Outcome.NOT_LOCKED;
            }
            boolean expired = lock.get().expiredAt(clock.getAsLong());
            if (expired || force) {
                store.breakLock(lock.get()); // only the lock shown: one taken over in between is left alone
                return new Outcome(lock, expired, true, null);
            }
            return new Outcome(lock, false, false, null);
        }
    }
}
