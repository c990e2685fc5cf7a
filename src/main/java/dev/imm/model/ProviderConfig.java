package dev.imm.model;

import dev.imm.value.Value;
import java.util.List;
import java.util.SortedMap;

/**
 * The {@code provider} block: which cloud ({@code sim} when none is declared), its settings, and the
 * faults the simulated cloud is to inject (always empty for other clouds).
 */
public record ProviderConfig(String name, SortedMap<String, Value> settings, List<FaultSpec> faults) {
    public static final ProviderConfig SIMULATED = new ProviderConfig("sim", new java.util.TreeMap<>(), List.of());

    public ProviderConfig {
        settings = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(settings));
        faults = List.copyOf(faults);
    }
}
