package dev.imm.plan;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An apply laid out in time, from its start (0): every step that does something, where the apply runs
 * it ({@link ApplyOrder}, up to {@code parallelism} steps at once, each as long as it took or is
 * expected to take), what happened during it, and for a rolling fleet its capacity over time. It comes
 * from a rehearsal on a copy of the simulated cloud, from a recorded apply, or, estimated, from the plan
 * alone. The JSON and HTML renderers both render this one model.
 */
public record Timeline(Source source, long durationMillis, int parallelism, List<Address> criticalPath, List<Bar> bars) {
    public Timeline {
        criticalPath = List.copyOf(criticalPath);
        bars = List.copyOf(bars);
    }

    /** The steps on the critical path, to look up in: a path can be thousands of steps long. */
    public java.util.Set<Address> criticalSteps() {
        return new java.util.HashSet<>(criticalPath);
    }

    public enum Source {
        /** From the plan's estimates: no phases, no capacity. */
        ESTIMATED,
        /** From a rehearsal on a throwaway copy of the simulated cloud. */
        REHEARSED,
        /** From an apply, as recorded in the state's history. */
        APPLIED;

        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Source of(String spelling) {
            return valueOf(spelling.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * One step: its change's address, action and reasons, when it starts and ends, how it ended
     * ({@code done}, {@code failed}, {@code rolled back}, {@code paused}, {@code skipped}, {@code cancelled},
     * or {@code planned} in an estimate) and the detail said, its phases and events, and its capacity
     * (null unless a fleet rolled).
     */
    public record Bar(Address address, Action action, List<String> reasons, long startMillis, long endMillis, String status,
                      String detail, List<Phase> phases, List<Event> events, Capacity capacity) {
        public Bar {
            reasons = List.copyOf(reasons);
            phases = List.copyOf(phases);
            events = List.copyOf(events);
        }
    }

    /**
     * A phase of a step ({@code pause}, {@code verify}, {@code drain}, {@code rollback}), or, from and to
     * the same moment, a {@code fault} that struck.
     */
    public record Phase(String kind, long fromMillis, long toMillis, String label) {
    }

    public record Event(long atMillis, String message) {
    }

    /** A rolling fleet's desired capacity, the policy's bounds in instances, and its capacity over time. */
    public record Capacity(int desired, int minHealthy, int maxRunning, List<Sample> samples) {
        public Capacity {
            samples = List.copyOf(samples);
        }
    }

    public record Sample(long atMillis, int healthy, int running) {
    }

    /**
     * How one step went, in its own time (0 is when it started): its duration, how it ended, and what
     * happened during it.
     */
    public record Measured(long durationMillis, String status, String detail, List<Phase> phases, List<Event> events,
                           Capacity capacity) {
        public static final Measured NOTHING = new Measured(0, "done", "", List.of(), List.of(), null);
    }

    /**
     * The plan's steps placed in time: each as long as {@code measured} says it took (in its own time),
     * scheduled as the apply runs them; null when the plan does nothing.
     */
    public static Timeline of(Source source, Plan plan, DesiredState desired, int parallelism,
                              Function<ResourceChange, Measured> measured) {
        List<ApplyOrder.Step> steps = ApplyOrder.of(plan, desired);
        java.util.Map<ResourceChange, Measured> took = new java.util.HashMap<>();
        for (ApplyOrder.Step step : steps) {
            took.put(step.change(), step.change().action() == Action.NO_OP ? Measured.NOTHING : measured.apply(step.change()));
        }
        ApplyEstimate.Schedule schedule = ApplyEstimate.times(steps, c -> took.get(c).durationMillis(), parallelism);
        if (schedule == null) {
            return null;
        }
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            ResourceChange change = steps.get(i).change();
            if (change.action() == Action.NO_OP) {
                continue;
            }
            Measured m = took.get(change);
            long at = schedule.start()[i];
            List<Phase> phases = m.phases().stream().map(p -> new Phase(p.kind(), at + p.fromMillis(), at + p.toMillis(), p.label()))
                    .toList();
            List<Event> events = m.events().stream().map(e -> new Event(at + e.atMillis(), e.message())).toList();
            Capacity capacity = m.capacity() == null ? null : new Capacity(m.capacity().desired(), m.capacity().minHealthy(),
                    m.capacity().maxRunning(), m.capacity().samples().stream()
                    .map(s -> new Sample(at + s.atMillis(), s.healthy(), s.running())).toList());
            bars.add(new Bar(change.address(), change.action(), change.reasons().stream().map(Reason::toString).toList(),
                    at, schedule.end()[i], m.status(), m.detail(), phases, events, capacity));
        }
        ApplyEstimate e = schedule.estimate();
        return new Timeline(source, e.durationMillis(), e.parallelism(), e.criticalPath(), bars);
    }

    /** The plan's own estimate as a timeline: every step as long as it is expected to take; null when it does nothing. */
    public static Timeline estimated(Plan plan, DesiredState desired) {
        var expected = ApplyEstimate.expected(desired);
        int parallelism = plan.estimate() == null ? ApplyEstimate.DEFAULT_PARALLELISM : plan.estimate().parallelism();
        return of(Source.ESTIMATED, plan, desired, parallelism,
                c -> new Measured(expected.applyAsLong(c), "planned", "", List.of(), List.of(), null));
    }

    /** The bars of rolling fleets that have a capacity to chart. */
    public List<Bar> charted() {
        return bars.stream().filter(b -> b.capacity() != null && !b.capacity().samples().isEmpty()).toList();
    }
}
