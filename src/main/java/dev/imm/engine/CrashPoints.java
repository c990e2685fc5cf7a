package dev.imm.engine;

import dev.imm.provider.sim.SimProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Testing crash recovery (docs/faults.md): the points an apply passes, numbered in the order it passes
 * them (the simulated cloud runs one step at a time, so the order is the same on every run): every step
 * the simulated cloud takes in a bake, a fleet's creation, an update, a rollout, a destroy or a
 * retirement, and every commit of the state. {@code IMM_CRASH_AT=N} halts the process at the N-th point,
 * as {@code kill -9} would; {@code IMM_SIM_CRASH_AT=N} at the N-th rollout checkpoint;
 * {@code IMM_CRASH_LOG=FILE} appends each point's number and name to FILE, so that a test can choose
 * points of every kind. The settings come from the environment, which is the process's; so does the
 * count.
 */
final class CrashPoints {
    static final String ANY = "IMM_CRASH_AT";
    static final String CHECKPOINT = "IMM_SIM_CRASH_AT";
    static final String LOG = "IMM_CRASH_LOG";

    private static CrashPoints process;

    private final long any;
    private final long checkpoint;
    private final Path log;
    private long points;
    private long checkpoints;

    private CrashPoints(long any, long checkpoint, Path log) {
        this.any = any;
        this.checkpoint = checkpoint;
        this.log = log;
    }

    /** The process's crash points; null (with why) when a setting is not a whole number from 1 up. */
    static synchronized CrashPoints ofProcess(StringBuilder why) {
        if (process == null) {
            Long any = number(ANY, why);
            Long checkpoint = number(CHECKPOINT, why);
            if (any == null || checkpoint == null) {
                return null;
            }
            String log = System.getenv(LOG);
            process = new CrashPoints(any, checkpoint, log == null || log.isBlank() ? null : Path.of(log));
        }
        return process;
    }

    /** Whether any point halts or is logged: otherwise nothing needs to count them. */
    boolean active() {
        return any > 0 || checkpoint > 0 || log != null;
    }

    private static Long number(String variable, StringBuilder why) {
        String text = System.getenv(variable);
        if (text == null || text.isBlank()) {
            return 0L;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        why.append(variable).append(" is \"").append(text).append("\"; it must be a whole number from 1 up ")
                .append(variable.equals(ANY) ? "(the crash point" : "(the rollout checkpoint")
                .append(" at which the process halts), or unset");
        return null;
    }

    /** Passes a point: true when the process must halt here (then call {@link #halt}). */
    synchronized boolean halts(String point) {
        points++;
        boolean isCheckpoint = SimProvider.isCheckpoint(point);
        if (isCheckpoint) {
            checkpoints++;
        }
        if (log != null) {
            try {
                Files.writeString(log, points + "\t" + point + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                System.err.println("imm: cannot write " + LOG + " " + log + ": " + e.getMessage());
            }
        }
        return (any > 0 && points == any) || (checkpoint > 0 && isCheckpoint && checkpoints == checkpoint);
    }

    /** Halts the process at the point just passed, saying where. */
    synchronized void halt(String point) {
        System.err.println(any > 0 && points == any ? "imm: halting at crash point " + points + ", " + point + " (" + ANY + ")"
                : "imm: halting at rollout checkpoint " + checkpoints + " (" + CHECKPOINT + ")");
        System.err.flush();
        Runtime.getRuntime().halt(137);
    }
}
