package dev.imm.state;

/**
 * Who holds the state lock, for which operation ({@code apply}, {@code destroy}, …), since when and until
 * when the lease runs (epoch milliseconds). A lock whose lease has ended may be taken over.
 */
public record LockInfo(String owner, String operation, long startedMillis, long expiresMillis) {
    public boolean expiredAt(long nowMillis) {
        return expiresMillis <= nowMillis;
    }
}
