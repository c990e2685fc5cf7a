package dev.imm.provider.aws;

/**
 * Wall time for the waits of long operations: real AWS is polled every few seconds. Tests use a clock
 * that does not sleep.
 */
interface AwsClock {
    AwsClock SYSTEM = new AwsClock() {
    };

    default long now() {
        return System.currentTimeMillis();
    }

    /** Sleeps; false when the thread was interrupted (Ctrl-C), which ends the wait. */
    default boolean sleep(long millis) {
        return dev.imm.provider.Retry.sleep(millis);
    }
}
