package dev.imm.provider;

import dev.imm.model.Address;

/** Hears about long operations as they go. Defaults do nothing. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** A rollout's pause (canary), a blue/green verify or drain period, a rollback. */
    String PAUSE = "pause";
    String VERIFY = "verify";
    String DRAIN = "drain";
    String ROLLBACK = "rollback";
    /** A fault struck (an alarm fired, an instance failed or died, a step timed out): a moment, not a period. */
    String FAULT = "fault";

    /** The operation has a handle; called before any change is made in the cloud. */
    default void started(Address address, OperationHandle handle) {
    }

    /** Something happened at {@code atMillis} (virtual time on the simulated cloud). */
    default void event(Address address, long atMillis, String message) {
    }

    /** The fleet's capacity at {@code atMillis}, told whenever it changes during a rollout. */
    default void capacity(Address address, long atMillis, CapacitySample sample) {
    }

    /**
     * A phase of a long operation, from {@code fromMillis} to {@code toMillis} ({@link #PAUSE}, {@link #VERIFY},
     * {@link #DRAIN}, {@link #ROLLBACK}; a {@link #FAULT} has both at the moment it struck), told once its
     * end is known.
     */
    default void phase(Address address, String kind, long fromMillis, long toMillis, String label) {
    }
}
