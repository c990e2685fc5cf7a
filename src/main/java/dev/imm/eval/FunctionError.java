package dev.imm.eval;

/**
 * A built-in function refused its arguments. {@code argument} is the 0-based index of the argument the
 * problem is about (the diagnostic points at it), or -1 for the call as a whole.
 */
public final class FunctionError extends Exception {
    private static final long serialVersionUID = 1L;
    private final int argument;
    private final String hint;

    public FunctionError(int argument, String message, String hint) {
        super(message, null, false, false);
        this.argument = argument;
        this.hint = hint == null ? "" : hint;
    }

    public FunctionError(int argument, String message) {
        this(argument, message, "");
    }

    public int argument() {
        return argument;
    }

    public String hint() {
        return hint;
    }
}
