package dev.imm.cli;

/**
 * Class initializers that take milliseconds of a short command, run on another core while the main
 * thread reads the command line and parses the stack; the main thread finds them done, or waits for
 * the rest (bench/README.md): BigDecimal first, whose initializer on JDK 25 computes 5^65536, about
 * 25 ms, the longest and needed as soon as the first number of a stack is read; then the grammar's
 * tables (if the parse has not loaded them yet); the SHA-256 digest of bake inputs, which loads the
 * security providers first; and the console, asked whether to colour the diagnostics.
 */
final class Warmup {
    private Warmup() {
    }

    /** Starts the warm-up; a daemon thread, so it never keeps the JVM up. */
    static void start() {
        Thread thread = new Thread(Warmup::run, "imm-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        java.math.BigDecimal.ONE.signum();
        dev.imm.lang.Parser.prepare();
        try {
            java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException absent) {
            // the command reports it when it needs the digest
        }
        System.console();
    }
}
