package dev.imm.eval;

import dev.imm.model.DesiredState;
import dev.imm.value.Value;
import java.util.SortedMap;

/**
 * What evaluating a stack gives: the desired state (null when the stack could not be read at all) and
 * the value of every variable, local, block reference and output by address, for the console and tests.
 */
public record Evaluation(DesiredState desired, SortedMap<String, Value> values) {
}
