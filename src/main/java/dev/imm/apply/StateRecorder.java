package dev.imm.apply;

import dev.imm.model.Address;
import dev.imm.provider.OperationHandle;
import dev.imm.state.RecordedState;
import java.util.function.Supplier;

/**
 * Persists the state while an apply runs: after every completed step, and when a long step starts
 * (with its handle), so that an apply stopped at any point leaves state that says what exists. The
 * engine backs it with the state repository. The state comes as a supplier that copies the working state
 * when asked: a recorder that commits only some steps asks only for those (a copy may already hold the
 * effect of steps that completed since, which is what exists too).
 */
public interface StateRecorder {
    /** Records nothing: for a rehearsal on a copy of the cloud, and for tests that keep state in memory. */
    StateRecorder NONE = new StateRecorder() {
        @Override
        public void started(Supplier<RecordedState> state, Address address, OperationHandle handle) {
        }

        @Override
        public void completed(Supplier<RecordedState> state, Address address, String summary) {
        }
    };

    /** A long step is about to change the cloud; {@code state} is unchanged, the handle is new. */
    void started(Supplier<RecordedState> state, Address address, OperationHandle handle);

    /** A step completed (or failed after changing something); {@code state} includes its effect. */
    void completed(Supplier<RecordedState> state, Address address, String summary);
}
