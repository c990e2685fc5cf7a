package dev.imm.cli;

import java.util.Map;

/** What the CLI knows of where its output goes: whether colour may be used. */
final class Terminal {
    private Terminal() {
    }

    /**
     * Colour only on an interactive terminal, never with --no-color, NO_COLOR set, or TERM=dumb.
     */
    static boolean colorAllowed(boolean noColorFlag, Map<String, String> env) {
        if (noColorFlag || env.containsKey("NO_COLOR") || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        return System.console() != null;
    }
}
