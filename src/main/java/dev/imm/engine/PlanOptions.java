package dev.imm.engine;

import dev.imm.model.Address;
import java.util.Set;

/**
 * How to plan: variable sources, {@code --target} addresses (with what they depend on), {@code --replace}
 * fleets to roll although unchanged, and whether to read the live cloud ({@code --refresh=false} plans
 * against the recorded state alone).
 */
public record PlanOptions(VariableSources variables, Set<Address> targets, Set<Address> replace, boolean refresh) {
    public static final PlanOptions DEFAULT = new PlanOptions(VariableSources.NONE, Set.of(), Set.of(), true);

    public PlanOptions {
        targets = Set.copyOf(targets);
        replace = Set.copyOf(replace);
    }
}
