package dev.imm.model;

import dev.imm.value.Value;
import java.util.SortedMap;

/** The {@code provider} block: which cloud ({@code sim} when none is declared) and its settings. */
public record ProviderConfig(String name, SortedMap<String, Value> settings) {
    public static final ProviderConfig SIMULATED = new ProviderConfig("sim", new java.util.TreeMap<>());

    public ProviderConfig {
        settings = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(settings));
    }
}
