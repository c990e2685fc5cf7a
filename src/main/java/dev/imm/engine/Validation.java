package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.eval.Evaluation;
import java.util.List;

/**
 * What {@code imm validate} found: every diagnostic of the stack, sorted, the sources to show them, and
 * the evaluation (null when the stack could not be read).
 */
public record Validation(List<Diagnostic> diagnostics, SourceSet sources, int fileCount, Evaluation evaluation) {
    public Validation {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
