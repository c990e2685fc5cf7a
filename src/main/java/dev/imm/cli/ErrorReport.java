package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.state.StateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Diagnostics of commands that read no source file (a missing stack directory, an unreadable state
 * repository), printed with the one renderer; each method returns the exit code to end with.
 */
final class ErrorReport {
    private ErrorReport() {
    }

    static int print(Main main, Diagnostic diagnostic) {
        main.err.print(new DiagnosticRenderer(path -> null, main.color()).render(List.of(diagnostic)));
        return diagnostic.isError() ? ExitCode.ERRORS : ExitCode.OK;
    }

    /** Null when {@code dir} is a directory, else the error that says it is not. */
    static Diagnostic notAStack(Path dir) {
        if (Files.isDirectory(dir)) {
            return null;
        }
        return Diagnostic.error(null, "stack directory " + dir + " does not exist")
                .withDetail("Give the directory that holds the stack's .imm files, or run imm in it.");
    }

    /**
     * Writes {@code text} to {@code file}; null when it was written, else the error that says why not
     * (a missing directory, no permission), so that a command ends with a message, not a stack trace.
     */
    static Diagnostic write(Path file, String text) {
        try {
            Files.writeString(file, text);
            return null;
        } catch (java.io.IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            return Diagnostic.error(null, "cannot write " + file + ": " + why)
                    .withDetail("Give a path in a directory that exists and that you may write to.");
        }
    }

    static Diagnostic unreadableState(Path dir, StateException e) {
        return Diagnostic.error(null, "cannot read the state of " + dir).withDetail(e.getMessage());
    }
}
