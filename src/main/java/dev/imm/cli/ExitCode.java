package dev.imm.cli;

/** The exit codes of every command; the README's table is this one. */
public final class ExitCode {
    /** Success; with --detailed-exitcode: success and no changes. */
    public static final int OK = 0;
    /** Errors were reported (diagnostics, a failed apply, files that --check found unformatted). */
    public static final int ERRORS = 1;
    /** With --detailed-exitcode only: success, and the plan has changes. */
    public static final int CHANGES = 2;
    /** The command line itself is wrong. */
    public static final int USAGE = 64;
    /** A bug in imm. */
    public static final int INTERNAL = 70;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
