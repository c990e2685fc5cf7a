package dev.imm.plan;

import dev.imm.model.Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * How long a whole apply takes: its steps ({@link ApplyOrder}) scheduled as the executor runs them, up to
 * {@code parallelism} at once, each as soon as the steps it follows have ended, in order. The duration is
 * when the last one ends; the critical path is the chain of steps that made it so (each waited for the
 * one before it in the chain).
 */
public record ApplyEstimate(long durationMillis, int parallelism, List<Address> criticalPath) {
    /** Steps at once that the estimate assumes: the apply's default {@code --parallelism}. */
    public static final int DEFAULT_PARALLELISM = 4;

    public ApplyEstimate {
        criticalPath = List.copyOf(criticalPath);
    }

    /** What a plan's steps are expected to take, in {@link dev.imm.model.Timings}. */
    public static ToLongFunction<ResourceChange> expected(dev.imm.model.DesiredState desired) {
        return change -> switch (change.action()) {
            case BAKE -> {
                var image = desired.images().get(change.address());
                yield image == null ? 0 : image.isContainer() ? dev.imm.model.Timings.CONTAINER_BAKE_MILLIS
                        : dev.imm.model.Timings.bake(image.steps());
            }
            case CREATE, REPLACE -> {
                var fleet = desired.fleets().get(change.address());
                yield dev.imm.model.Timings.create(fleet == null ? null : fleet.health());
            }
            case ROLL -> change.estimate() == null ? 0 : change.estimate().durationMillis();
            case DESTROY -> dev.imm.model.Timings.INSTANCE_TERMINATION_MILLIS;
            default -> 0;
        };
    }

    /** Schedules {@code steps}, each taking {@code duration}; null when there is nothing to do. */
    public static ApplyEstimate schedule(List<ApplyOrder.Step> steps, ToLongFunction<ResourceChange> duration, int parallelism) {
        Schedule s = times(steps, duration, parallelism);
        return s == null ? null : s.estimate();
    }

    /**
     * The steps as scheduled: when each starts and ends (index by index with {@code steps}), and the
     * estimate they make.
     */
    public record Schedule(List<ApplyOrder.Step> steps, long[] start, long[] end, ApplyEstimate estimate) {
    }

    /** Like {@link #schedule}, with each step's start and end; null when there is nothing to do. */
    public static Schedule times(List<ApplyOrder.Step> steps, ToLongFunction<ResourceChange> duration, int parallelism) {
        if (steps.stream().allMatch(s -> s.change().action() == Action.NO_OP)) {
            return null;
        }
        int n = steps.size();
        Map<ResourceChange, Integer> index = new HashMap<>();
        long[] begin = new long[n];
        long[] end = new long[n];
        int[] cause = new int[n];
        // workers as {free at, worker, the step it ran last}: the earliest free one takes the next step
        PriorityQueue<long[]> workers = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        int width = Math.max(1, parallelism);
        for (int w = 0; w < width; w++) {
            workers.add(new long[] {0, w, -1});
        }
        // in order: the steps a step starts after always come before it
        for (int i = 0; i < n; i++) {
            ApplyOrder.Step step = steps.get(i);
            index.put(step.change(), i);
            long readyAt = 0;
            int waitedFor = -1;
            for (ResourceChange before : step.after()) {
                int j = index.get(before);
                if (waitedFor < 0 || end[j] > readyAt) {
                    readyAt = end[j];
                    waitedFor = j;
                }
            }
            long[] worker = workers.poll();
            long start = Math.max(readyAt, worker[0]);
            cause[i] = start > readyAt ? (int) worker[2] : waitedFor;
            begin[i] = start;
            end[i] = start + Math.max(0, duration.applyAsLong(step.change()));
            workers.add(new long[] {end[i], worker[1], i});
        }
        int last = 0;
        for (int i = 1; i < n; i++) {
            if (end[i] > end[last]) {
                last = i;
            }
        }
        List<Address> path = new ArrayList<>();
        for (int i = last; i >= 0; i = cause[i]) {
            if (steps.get(i).change().action() != Action.NO_OP && end[i] > (cause[i] >= 0 ? end[cause[i]] : 0)) {
                path.add(steps.get(i).change().address());
            }
        }
        Collections.reverse(path);
        return new Schedule(List.copyOf(steps), begin, end, new ApplyEstimate(end[last], width, path));
    }

    /** {@code image.app → fleet.web}, shortened past five steps. */
    public String pathText() {
        if (criticalPath.size() <= 5) {
            return String.join(" → ", criticalPath.stream().map(Address::toString).toList());
        }
        return criticalPath.get(0) + " → " + criticalPath.get(1) + " → … (" + (criticalPath.size() - 4) + " more) → "
                + criticalPath.get(criticalPath.size() - 2) + " → " + criticalPath.get(criticalPath.size() - 1);
    }
}
