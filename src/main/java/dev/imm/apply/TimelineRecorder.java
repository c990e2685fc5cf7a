package dev.imm.apply;

import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.plan.Plan;
import dev.imm.plan.Timeline;
import dev.imm.provider.CapacitySample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hears an apply (or a rehearsal) and keeps, per resource, what its step did and when, in the cloud's
 * time: its events, phases and capacity samples. {@link #timeline} then lays the steps out as the apply
 * runs them, each step's own times kept relative to its first event.
 */
public final class TimelineRecorder implements ApplyHook {
    private static final class Heard {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final List<Timeline.Event> events = new ArrayList<>();
        final List<Timeline.Phase> phases = new ArrayList<>();
        final List<Timeline.Sample> samples = new ArrayList<>();
        CapacitySample bounds;

        void at(long millis) {
            first = Math.min(first, millis);
            last = Math.max(last, millis);
        }
    }

    private final Map<Address, Heard> heard = new HashMap<>();

    private Heard of(Address address) {
        return heard.computeIfAbsent(address, a -> new Heard());
    }

    @Override
    public synchronized void progress(Address address, long atMillis, String message) {
        Heard h = of(address);
        h.at(atMillis);
        h.events.add(new Timeline.Event(atMillis, message));
    }

    @Override
    public synchronized void capacity(Address address, long atMillis, CapacitySample sample) {
        Heard h = of(address);
        h.at(atMillis);
        Timeline.Sample s = new Timeline.Sample(atMillis, sample.healthy(), sample.running());
        Timeline.Sample previous = h.samples.isEmpty() ? null : h.samples.get(h.samples.size() - 1);
        if (previous == null || previous.healthy() != s.healthy() || previous.running() != s.running()) {
            h.samples.add(s);
        }
        h.bounds = sample;
    }

    @Override
    public synchronized void phase(Address address, String kind, long fromMillis, long toMillis, String label) {
        Heard h = of(address);
        h.at(fromMillis);
        h.at(toMillis);
        h.phases.add(new Timeline.Phase(kind, fromMillis, toMillis, label));
    }

    /** The apply of {@code plan} that ended with {@code result}, laid out in time; null when it did nothing. */
    public synchronized Timeline timeline(Timeline.Source source, ApplyResult result, Plan plan, DesiredState desired,
                                          int parallelism) {
        Map<dev.imm.plan.ResourceChange, StepOutcome> outcomes = new HashMap<>();
        result.steps().forEach(s -> outcomes.put(s.change(), s.outcome()));
        return Timeline.of(source, plan, desired, parallelism, change -> {
            StepOutcome outcome = outcomes.get(change);
            String status = outcome == null ? "skipped" : outcome.status().name().toLowerCase(Locale.ROOT).replace('_', ' ');
            String detail = outcome == null ? "" : outcome.detail();
            Heard h = heard.get(change.address());
            if (h == null) {
                return new Timeline.Measured(outcome == null ? 0 : outcome.virtualMillis(), status, detail, List.of(), List.of(), null);
            }
            long origin = h.first;
            long duration = Math.max(outcome == null ? 0 : outcome.virtualMillis(), h.last - origin);
            List<Timeline.Event> events = h.events.stream().map(e -> new Timeline.Event(e.atMillis() - origin, e.message())).toList();
            List<Timeline.Phase> phases = h.phases.stream()
                    .map(p -> new Timeline.Phase(p.kind(), p.fromMillis() - origin, p.toMillis() - origin, p.label())).toList();
            Timeline.Capacity capacity = h.bounds == null ? null : new Timeline.Capacity(h.bounds.desired(), h.bounds.minHealthy(),
                    h.bounds.maxRunning(), h.samples.stream()
                    .map(s -> new Timeline.Sample(s.atMillis() - origin, s.healthy(), s.running())).toList());
            return new Timeline.Measured(duration, status, detail, phases, events, capacity);
        });
    }
}
