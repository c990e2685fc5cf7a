package dev.imm.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's wall time goes, stage by stage, for keeping bench/README.md's breakdown current:
 * with {@code IMM_PROFILE=1} in the environment, each stage's end is marked and the command prints, on
 * standard error as it exits, the time from the process's start to {@code main}, then each stage's share.
 * The process starts in the {@code ./imm} launcher, which passes the microsecond it started at as
 * {@code -Dimm.launched}; without it the operating system's start time is used (to 10 ms). Without
 * {@code IMM_PROFILE}, marking costs a field read.
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
        long now = System.currentTimeMillis();
        Long launched = Long.getLong("imm.launched");
        String toMain = launched != null ? "launcher start to main " + (now - launched / 1000) + " ms"
                : "process start to main " + ProcessHandle.current().info().startInstant()
                        .map(at -> (now - at.toEpochMilli()) + " ms").orElse("unknown");
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

    private static synchronized String report(String toMain) {
        StringBuilder out = new StringBuilder("imm: profile: ").append(toMain);
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
