package dev.imm.apply;

import dev.imm.model.Address;
import dev.imm.plan.ResourceChange;

/**
 * Hears an apply as it runs: the CLI's live view, the JSON event stream and tests implement it. Every
 * method has a no-op default. Called from worker threads; implementations synchronize themselves.
 */
public interface ApplyHook {
    ApplyHook NONE = new ApplyHook() {
    };

    default void started(ResourceChange change) {
    }

    /** Progress of a long step, at virtual time {@code atMillis} on the simulated cloud. */
    default void progress(Address address, long atMillis, String message) {
    }

    default void finished(ResourceChange change, StepOutcome outcome) {
    }
}
