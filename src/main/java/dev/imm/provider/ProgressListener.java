package dev.imm.provider;

import dev.imm.model.Address;

/** Hears about long operations as they go. Defaults do nothing. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    /** The operation has a handle; called before any change is made in the cloud. */
    default void started(Address address, OperationHandle handle) {
    }

    /** Something happened at {@code atMillis} (virtual time on the simulated cloud). */
    default void event(Address address, long atMillis, String message) {
    }
}
