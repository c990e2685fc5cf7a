package dev.imm.model;

import java.util.List;
import java.util.SortedMap;

/**
 * Everything a stack declares, decoded and keyed by address: what plans are computed from. {@code pending}
 * names the blocks that could not be decoded yet because a value they need is not known (during
 * {@code validate}, a variable without a value), with the names of those values.
 */
public record DesiredState(ProviderConfig provider, StateConfig state, SortedMap<Address, ComponentSpec> components,
                           SortedMap<Address, ImageSpec> images, SortedMap<Address, RolloutPolicy> rollouts,
                           SortedMap<Address, FleetSpec> fleets, List<CheckSpec> checks,
                           SortedMap<Address, OutputSpec> outputs, SortedMap<Address, String> pending) {
}
