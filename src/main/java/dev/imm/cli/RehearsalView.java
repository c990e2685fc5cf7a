package dev.imm.cli;

import dev.imm.apply.ApplyHook;
import dev.imm.apply.ApplyResult;
import dev.imm.apply.StepOutcome;
import dev.imm.model.Address;
import dev.imm.plan.Action;
import dev.imm.plan.ResourceChange;
import dev.imm.value.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code imm plan --rehearse}: hears a rehearsal of the plan on a copy of the simulated cloud and prints,
 * per resource that changes, its timeline in virtual time from the start of the rehearsal (each step,
 * the healthy capacity, the faults that struck), then how it ended.
 */
final class RehearsalView implements ApplyHook {
    private record Event(long at, String message) {
    }

    private final Map<Address, List<Event>> events = new LinkedHashMap<>();
    private long start = Long.MAX_VALUE;

    @Override
    public synchronized void progress(Address address, long atMillis, String message) {
        start = Math.min(start, atMillis);
        events.computeIfAbsent(address, a -> new ArrayList<>()).add(new Event(atMillis, message));
    }

    /**
     * The rehearsed steps as the apply schedules them ({@code timeline}: the plan's steps at a time), beside
     * the plan's estimate; and the time the simulated cloud took, running them one after another.
     */
    private String timeTaken(dev.imm.plan.Plan plan, dev.imm.plan.Timeline timeline) {
        if (plan.estimate() == null) {
            return "";
        }
        dev.imm.plan.ApplyEstimate rehearsed = timeline == null ? null
                : new dev.imm.plan.ApplyEstimate(timeline.durationMillis(), timeline.parallelism(), timeline.criticalPath());
        long sequential = 0;
        for (List<Event> list : events.values()) {
            for (Event e : list) {
                sequential = Math.max(sequential, e.at() - start);
            }
        }
        return "\nApply time: the plan expects about " + Durations.format(plan.estimate().durationMillis())
                + "; the rehearsed steps take " + Durations.format(rehearsed == null ? 0 : rehearsed.durationMillis())
                + (rehearsed == null || rehearsed.criticalPath().isEmpty() ? "" : " along " + rehearsed.pathText())
                + " (" + plan.estimate().parallelism() + " steps at a time; the simulated cloud ran them one after another in "
                + Durations.format(sequential) + ").\n";
    }

    /** The rehearsal's text: per resource that changes, its events and how it ended; then the time it took ({@code timeline}). */
    synchronized String render(ApplyResult result, dev.imm.plan.Plan plan, dev.imm.plan.Timeline timeline) {
        StringBuilder out = new StringBuilder("\nRehearsal on a copy of the simulated cloud (nothing was changed):\n");
        for (ApplyResult.Step step : result.steps()) {
            ResourceChange change = step.change();
            if (change.action() == Action.NO_OP || change.action() == Action.RETIRE) {
                continue;
            }
            out.append('\n').append(change.address()).append(" (").append(change.action().spelling()).append(")\n");
            for (Event e : events.getOrDefault(change.address(), List.of())) {
                String at = "T+" + Durations.format(e.at() - start);
                out.append("  ").append(at).append(" ".repeat(Math.max(1, 12 - at.length()))).append(e.message()).append('\n');
            }
            StepOutcome outcome = step.outcome();
            out.append("  => ").append(outcome.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            if (!outcome.detail().isEmpty()) {
                out.append(": ").append(outcome.detail());
            }
            out.append('\n');
        }
        out.append(timeTaken(plan, timeline));
        out.append("\nRehearsal ").append(result.status()).append(": the apply would end ").append(result.status())
                .append(" if the cloud behaves as the simulator does.\n");
        return out.toString();
    }
}
