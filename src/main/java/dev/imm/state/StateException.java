package dev.imm.state;

/**
 * The state store could not do what was asked, for a reason a user can act on: a file in the state
 * repository is malformed (the message names it and says what is wrong), the state is locked, the remote
 * refused a push, the repository cannot be opened. The message is complete and meant to be shown as is.
 */
public class StateException extends Exception {
    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
