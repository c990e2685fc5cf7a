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
 * on the simulated cloud, relative to the step's start), and how it ended.
 */
final class ApplyView implements ApplyHook {
    private final PrintStream out;
    private final boolean color;
    private final Map<Address, Long> stepStart = new ConcurrentHashMap<>();

    ApplyView(PrintStream out, boolean color) {
        this.out = out;
        this.color = color;
    }

    @Override
    public synchronized void started(ResourceChange change) {
        out.println(change.address() + ": " + verb(change) + "...");
    }

    @Override
    public synchronized void progress(Address address, long atMillis, String message) {
        long start = stepStart.computeIfAbsent(address, a -> atMillis);
        out.println("  " + address + " [+" + Durations.format(atMillis - start) + "] " + message);
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
        out.println(change.address() + ": " + line);
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
