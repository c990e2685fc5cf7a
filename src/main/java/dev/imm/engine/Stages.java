package dev.imm.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's wall time goes, stage by stage, for keeping bench/README.md's breakdown current:
 * with {@code IMM_PROFILE=1} in the environment, each stage's end is marked and the command prints, on
 * standard error as it exits, the time from the JVM's start to {@code main}, then each stage's share.
 * Without it, marking costs a field read.
 */
public final class Stages {
    private static final boolean ON = "1".equals(System.getenv("IMM_PROFILE"));
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<Long> ENDS = new ArrayList<>();
    private static long start;
    private static final java.util.Map<String, long[]> TOTALS = new java.util.TreeMap<>();

    private Stages() {
    }

    /** Called first thing in {@code main}: the clock starts, and the report is printed at exit. */
    public static void begin() {
        if (!ON) {
            return;
        }
        start = System.nanoTime();
        long toMain = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println(report(toMain))));
    }

    /** The stage that ends now. */
    public static synchronized void end(String stage) {
        if (ON && start != 0) {
            NAMES.add(stage);
            ENDS.add(System.nanoTime());
        }
    }

    /** Something that happens many times ({@code commit}): how often, and its time in all. */
    public static synchronized void count(String what, long nanos) {
        if (ON) {
            long[] t = TOTALS.computeIfAbsent(what, k -> new long[2]);
            t[0]++;
            t[1] += nanos;
        }
    }

    /** Whether stages are being timed (so that callers skip reading the clock otherwise). */
    public static boolean on() {
        return ON;
    }

    private static synchronized String report(long toMain) {
        StringBuilder out = new StringBuilder("imm: profile: JVM start to main ").append(toMain).append(" ms");
        long last = start;
        for (int i = 0; i < NAMES.size(); i++) {
            out.append("; ").append(NAMES.get(i)).append(' ').append((ENDS.get(i) - last) / 1_000_000).append(" ms");
            last = ENDS.get(i);
        }
        out.append("; to exit ").append((System.nanoTime() - last) / 1_000_000).append(" ms");
        TOTALS.forEach((what, t) -> out.append("; ").append(t[0]).append(" × ").append(what).append(": ")
                .append(t[1] / 1_000_000).append(" ms"));
        return out.toString();
    }
}
