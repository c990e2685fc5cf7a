package dev.imm.engine;

import dev.imm.apply.ApplyResult;
import dev.imm.diag.Diagnostic;
import dev.imm.state.Revision;
import java.util.List;

/**
 * How an apply ended: its steps (null when it could not start), its id, the revision that records it,
 * and problems that stopped it (a lock held by someone else, a rejected push).
 */
public record ApplyOutcome(ApplyResult result, String applyId, Revision revision, List<Diagnostic> diagnostics) {
    public ApplyOutcome {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean succeeded() {
        return result != null && diagnostics.isEmpty() && result.status().equals("succeeded");
    }
}
