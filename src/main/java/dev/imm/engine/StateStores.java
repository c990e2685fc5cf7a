package dev.imm.engine;

import dev.imm.model.StateConfig;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import dev.imm.state.git.GitStateStore;

/** Opens the state repository of a stack as its {@code state} block says (local by default). */
final class StateStores {
    private StateStores() {
    }

    static StateStore open(Stack stack, StateConfig config) throws StateException {
        StateStore store = new GitStateStore(stack.stateRepository(), config.branch(), config.remote());
        if (config.remote() != null) {
            store.fetch();
        }
        return store;
    }
}
