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

    /** {@code succeeded}, {@code rolled-back} (a roll returned to the old image) or {@code failed}. */
    public String status() {
        if (steps.stream().anyMatch(s -> s.outcome().status() == StepOutcome.Status.FAILED
                || s.outcome().status() == StepOutcome.Status.CANCELLED)) {
            return "failed";
        }
        if (steps.stream().anyMatch(s -> s.outcome().status() == StepOutcome.Status.ROLLED_BACK)) {
            return "rolled-back";
        }
        return steps.stream().allMatch(s -> s.outcome().status().ok()) ? "succeeded" : "failed";
    }
}
