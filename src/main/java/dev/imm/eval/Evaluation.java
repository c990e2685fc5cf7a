package dev.imm.eval;

import dev.imm.model.DesiredState;
import dev.imm.value.Value;
import java.util.SortedMap;

/**
 * What evaluating a stack gives: the desired state (null when the stack could not be read at all), the
 * value of every variable, local, block reference and output by address, for the console and tests, and
 * every file (or directory) its expressions and steps read, as absolute normalized paths: with the
 * stack's sources, everything on disk the result depends on.
 */
public record Evaluation(DesiredState desired, SortedMap<String, Value> values, java.util.SortedSet<String> filesRead) {
    public Evaluation {
        filesRead = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(filesRead));
    }

    public Evaluation(DesiredState desired, SortedMap<String, Value> values) {
        this(desired, values, new java.util.TreeSet<>());
    }
}
