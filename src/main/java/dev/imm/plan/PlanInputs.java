package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.provider.LiveState;
import dev.imm.state.RecordedState;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a plan is computed from: the desired state (bake hashes resolved), the recorded state at
 * {@code stateRevision} (empty for a new stack), the live state, the canonical bake inputs of earlier
 * versions by bake hash (to say which input changed), fleets to roll although unchanged
 * ({@code --replace}), the addresses to limit the plan to ({@code --target}; empty for all), and the long
 * operations (bakes, creations, rolls) an interrupted apply journaled as started (operation id to apply id).
 */
public record PlanInputs(String stack, DesiredState desired, RecordedState recorded, Optional<String> stateRevision,
                         LiveState live, Function<String, Optional<String>> recordedBakeInputs, Set<Address> replace,
                         Set<Address> targets, Map<String, String> journaled) {
    public PlanInputs {
        replace = Set.copyOf(replace);
        targets = Set.copyOf(targets);
        journaled = Map.copyOf(journaled);
    }

    /** Inputs with no journaled operations. */
    public PlanInputs(String stack, DesiredState desired, RecordedState recorded, Optional<String> stateRevision,
                      LiveState live, Function<String, Optional<String>> recordedBakeInputs, Set<Address> replace,
                      Set<Address> targets) {
        this(stack, desired, recorded, stateRevision, live, recordedBakeInputs, replace, targets, Map.of());
    }
}
