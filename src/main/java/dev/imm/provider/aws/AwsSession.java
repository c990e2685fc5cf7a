package dev.imm.provider.aws;

import dev.imm.provider.ProviderException;

/**
 * What the parts of the provider share: the clients, the clock, how long to wait between two looks at
 * an operation under way, and the crash hook for tests of recovery ({@link AwsProvider#crashAt}).
 */
record AwsSession(AwsClients aws, AwsClock clock, long pollMillis, java.util.function.Consumer<String> reached) {

    /** A named point of an operation has been reached (a builder launched, say): the crash hook may halt here. */
    void reached(String point) {
        reached.accept(point);
    }

    /** Waits one poll interval; an interrupted wait (Ctrl-C) ends the operation with {@code what}. */
    void pause(String what) throws ProviderException {
        if (!clock.sleep(pollMillis)) {
            throw new ProviderException("interrupted while waiting for " + what, false);
        }
    }
}
