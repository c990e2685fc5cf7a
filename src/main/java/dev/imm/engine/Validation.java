package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import java.util.List;

/** What {@code imm validate} found: every diagnostic of the stack, sorted, and the sources to show them. */
public record Validation(List<Diagnostic> diagnostics, SourceSet sources, int fileCount) {
    public Validation {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
