package dev.imm.cli;

import dev.imm.apply.ApplyHook;
import dev.imm.apply.StepOutcome;
import dev.imm.model.Address;
import dev.imm.plan.ResourceChange;
import dev.imm.value.Durations;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows an apply as it runs, one line per event: what starts, its progress in the cloud's time (virtual
 * on the simulated cloud, relative to the step's start), and how it ended. A step's end is written at
 * once; the lines before it wait at most {@link #HOLD_MILLIS} to be written together with what follows,
 * where writing each as it came made a system call of every line (19,000 for an apply of 2,000 fleets,
 * about 5% of it; bench/README.md).
 */
final class ApplyView implements ApplyHook, AutoCloseable {
    static final long HOLD_MILLIS = 100;

    private final PrintStream out;
    private final boolean color;
    private final Map<Address, Long> stepStart = new ConcurrentHashMap<>();
    /** Lines not written yet; guarded by this view. */
    private final StringBuilder held = new StringBuilder();
    private Thread writer;
    private boolean closed;

    ApplyView(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    @Override
    public synchronized void started(ResourceChange change) {
        hold(change.address() + ": " + verb(change) + "...");
    }

    @Override
    public synchronized void progress(Address address, long atMillis, String message) {
        long start = stepStart.computeIfAbsent(address, a -> atMillis);
        hold("  " + address + " [+" + Durations.format(atMillis - start) + "] " + message);
    }

    @Override
    public synchronized void finished(ResourceChange change, StepOutcome outcome) {
        String time = outcome.virtualMillis() > 0 ? " (" + Durations.format(outcome.virtualMillis()) + ")" : "";
        String line;
        switch (outcome.status()) {
            case DONE:
                line = paint("32", "done") + ": " + outcome.detail() + time;
                break;
            case ROLLED_BACK:
                line = paint("33", "rolled back") + ": " + outcome.detail() + time;
                break;
            case PAUSED:
                line = paint("33", "paused") + ": " + outcome.detail() + time;
                break;
            case SKIPPED:
            case CANCELLED:
                line = paint("33", outcome.status().name().toLowerCase(java.util.Locale.ROOT)) + ": " + outcome.detail();
                break;
            default:
                line = paint("31", "failed") + ": " + outcome.detail();
        }
        held.append(change.address()).append(": ").append(line).append('\n');
        write();
    }

    /** Writes what is held and stops the writer thread; a line that still comes is written at once. */
    @Override
    public synchronized void close() {
        closed = true;
        write();
        notifyAll();
    }

    private void hold(String line) {
        held.append(line).append('\n');
        if (closed) {
            write();
        } else if (writer == null) {
            writer = new Thread(this::writeHeld, "imm-apply-view");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** The writer thread: every {@link #HOLD_MILLIS}, whatever is held, until the view is closed. */
    private synchronized void writeHeld() {
        while (!closed) {
            try {
                wait(HOLD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            write();
        }
    }

    private void write() {
        if (held.length() > 0) {
            out.print(held);
            out.flush();
            held.setLength(0);
        }
    }

    private static String verb(ResourceChange change) {
        switch (change.action()) {
            case BAKE: return "baking";
            case CREATE: return "creating";
            case UPDATE: return "updating in place";
            case ROLL: return "rolling";
            case REPLACE: return "replacing";
            case DESTROY: return "destroying";
            case RETIRE: return "retiring " + change.attributes().get(0).before();
            default: return "recording";
        }
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;
    }
}
