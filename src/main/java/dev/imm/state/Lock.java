package dev.imm.state;

/**
 * The state lock, held. The holder renews the lease while it works (after each step, and from a timer
 * during long steps) and releases it when done; closing releases it too. Releasing a lock that was
 * broken or taken over in the meantime leaves the new holder's lock alone.
 */
public interface Lock extends AutoCloseable {
    /** The lock as last written by this holder. */
    LockInfo info();

    /**
     * Extends the lease to now plus the lease length. Fails when the lock is no longer this holder's
     * (broken with {@code imm unlock}, or taken over after the lease ended): the holder must stop
     * changing state.
     */
    void renew() throws StateException;

    void release() throws StateException;

    @Override
    default void close() throws StateException {
        release();
    }
}
