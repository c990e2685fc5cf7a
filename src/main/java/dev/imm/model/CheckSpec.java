package dev.imm.model;

import dev.imm.diag.Severity;
import dev.imm.diag.SourceRange;

/**
 * A {@code check} block's outcome at the time the stack was evaluated: each assertion passed, failed, or
 * is left for plan because its condition is not known yet.
 */
public record CheckSpec(Address address, Severity severity, java.util.List<Assertion> assertions, SourceRange range) {
    public CheckSpec {
        assertions = java.util.List.copyOf(assertions);
    }

    public enum Outcome { PASSED, FAILED, UNKNOWN }

    public record Assertion(Outcome outcome, String message, SourceRange condition) {
    }
}
