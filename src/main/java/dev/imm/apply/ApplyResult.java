package dev.imm.apply;

import dev.imm.plan.ResourceChange;
import dev.imm.state.RecordedState;
import java.util.List;

/** Every step of an apply with how it ended, in plan order, and the state the apply left. */
public record ApplyResult(List<Step> steps, RecordedState state) {
    public ApplyResult {
        steps = List.copyOf(steps);
    }

    public record Step(ResourceChange change, StepOutcome outcome) {
    }

    /**
     * {@code failed} (a step failed or was cancelled), else {@code rolled-back} (a roll returned to the old
     * image), else {@code paused} (a roll stopped part way), else {@code succeeded}.
     */
    public String status() {
        if (steps.stream().anyMatch(s -> s.outcome().status() == StepOutcome.Status.FAILED
                || s.outcome().status() == StepOutcome.Status.CANCELLED)) {
            return "failed";
        }
        if (steps.stream().anyMatch(s -> s.outcome().status() == StepOutcome.Status.ROLLED_BACK)) {
            return "rolled-back";
        }
        if (steps.stream().anyMatch(s -> s.outcome().status() == StepOutcome.Status.PAUSED)) {
            return "paused";
        }
        return steps.stream().allMatch(s -> s.outcome().status().ok()) ? "succeeded" : "failed";
    }

    /** {@code fleet.web: alarm "5xx" fired …} for every step that did not succeed and was tried; empty if none. */
    public List<String> reasons() {
        List<String> out = new java.util.ArrayList<>();
        for (Step s : steps) {
            StepOutcome.Status status = s.outcome().status();
            if (status == StepOutcome.Status.FAILED || status == StepOutcome.Status.ROLLED_BACK || status == StepOutcome.Status.PAUSED) {
                out.add(s.change().address() + ": " + s.outcome().detail());
            }
        }
        return out;
    }
}
