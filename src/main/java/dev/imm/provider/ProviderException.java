package dev.imm.provider;

/**
 * The cloud refused or failed an operation. {@code retryable} errors (throttling, transient faults) may
 * succeed when tried again; the others will not.
 */
public final class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;
    private String createdId;

    public ProviderException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public ProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The id of what the failed call created nonetheless (a group that never became healthy), or null. */
    public String createdId() {
        return createdId;
    }

    public ProviderException withCreated(String id) {
        this.createdId = id;
        return this;
    }
}
