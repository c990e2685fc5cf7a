package dev.imm.provider;

/**
 * Calls a cloud and tries again, with exponential backoff, when it answers with a transient error
 * (throttling, a service briefly unavailable): 8 attempts, waiting 0.5 s, 1 s, 2 s … up to 20 s between
 * them. The provider does the waiting ({@link Provider#backOff}), so that the simulated cloud waits in
 * virtual time. Errors that are not transient are thrown at once.
 */
public final class Retry {
    public static final int ATTEMPTS = 8;
    private static final long FIRST_WAIT_MILLIS = 500;
    private static final long MAX_WAIT_MILLIS = 20_000;

    private Retry() {
    }

    @FunctionalInterface
    public interface Call<T> {
        T run() throws ProviderException;
    }

    /** Sleeps for real; false when the thread was interrupted (Ctrl-C), with its interrupt flag kept. */
    public static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static <T> T call(Provider provider, Call<T> call) throws ProviderException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (ProviderException e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    if (e.retryable()) {
                        throw new ProviderException(e.getMessage() + " (gave up after " + ATTEMPTS + " attempts)", false, e);
                    }
                    throw e;
                }
                long wait = Math.min(MAX_WAIT_MILLIS, FIRST_WAIT_MILLIS << (attempt - 1));
                if (!provider.backOff(wait)) {
                    throw e;
                }
            }
        }
    }
}
