package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import java.util.List;

/** A parsed file and every syntax diagnostic found in it, sorted by position. */
public record ParseResult(ConfigFile file, List<Diagnostic> diagnostics) {
    public ParseResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
