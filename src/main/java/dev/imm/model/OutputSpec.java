package dev.imm.model;

import dev.imm.diag.SourceRange;
import dev.imm.value.Value;

/** A value the stack exports; a sensitive output is never shown in clear. */
public record OutputSpec(Address address, Value value, String description, boolean sensitive, SourceRange range) {
}
