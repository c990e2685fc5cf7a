package dev.imm.diag;

import java.util.Locale;

/** How bad a diagnostic is; errors stop the command, warnings are shown and let it go on. */
public enum Severity {
    ERROR,
    WARNING;

    /** The word a diagnostic starts with: {@code error} or {@code warning}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
