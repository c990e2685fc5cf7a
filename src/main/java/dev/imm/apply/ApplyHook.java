package dev.imm.apply;

import dev.imm.model.Address;
import dev.imm.plan.ResourceChange;
import dev.imm.provider.CapacitySample;

/**
 * Hears an apply as it runs: the CLI's live view, the JSON event stream, the timeline and tests
 * implement it. Every method has a no-op default. Called from worker threads; implementations
 * synchronize themselves.
 */
public interface ApplyHook {
    ApplyHook NONE = new ApplyHook() {
    };

    default void started(ResourceChange change) {
    }

    /** Progress of a long step, at virtual time {@code atMillis} on the simulated cloud. */
    default void progress(Address address, long atMillis, String message) {
    }

    /** A rolling fleet's capacity at {@code atMillis} (see {@link dev.imm.provider.ProgressListener#capacity}). */
    default void capacity(Address address, long atMillis, CapacitySample sample) {
    }

    /** A phase of a long step, or a fault (see {@link dev.imm.provider.ProgressListener#phase}). */
    default void phase(Address address, String kind, long fromMillis, long toMillis, String label) {
    }

    default void finished(ResourceChange change, StepOutcome outcome) {
    }

    /** Both hooks, {@code first} told first. */
    static ApplyHook both(ApplyHook first, ApplyHook second) {
        return new ApplyHook() {
            @Override
            public void started(ResourceChange change) {
                first.started(change);
                second.started(change);
            }

            @Override
            public void progress(Address address, long atMillis, String message) {
                first.progress(address, atMillis, message);
                second.progress(address, atMillis, message);
            }

            @Override
            public void capacity(Address address, long atMillis, CapacitySample sample) {
                first.capacity(address, atMillis, sample);
                second.capacity(address, atMillis, sample);
            }

            @Override
            public void phase(Address address, String kind, long fromMillis, long toMillis, String label) {
                first.phase(address, kind, fromMillis, toMillis, label);
                second.phase(address, kind, fromMillis, toMillis, label);
            }

            @Override
            public void finished(ResourceChange change, StepOutcome outcome) {
                first.finished(change, outcome);
                second.finished(change, outcome);
            }
        };
    }
}
