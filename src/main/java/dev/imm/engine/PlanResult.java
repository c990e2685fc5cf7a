package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.eval.Evaluation;
import dev.imm.plan.Plan;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import java.util.List;
import java.util.Optional;

/**
 * A plan with everything it was made from, or only diagnostics when the stack has errors ({@code plan}
 * is then null).
 */
public record PlanResult(Plan plan, List<Diagnostic> diagnostics, SourceSet sources, Evaluation evaluation,
                         RecordedState recorded, Optional<Revision> revision) {
    public PlanResult {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return plan == null || diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
