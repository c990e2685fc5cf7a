package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.engine.Engine;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The recorded state at a revision, as {@code show} and {@code state list/show} read it. When it is not
 * found, why has been printed and {@code exitCode} says how to end: 0 for a stack without state yet
 * ({@code state} is then null, and nothing was printed), 1 for a missing directory, an unknown revision
 * or an unreadable state.
 */
record StateLookup(Revision revision, RecordedState state, int exitCode) {

    boolean found() {
        return state != null;
    }

    boolean noStateYet() {
        return state == null && exitCode == ExitCode.OK;
    }

    static StateLookup read(Main main, Path dir, String revision) {
        Diagnostic missing = ErrorReport.notAStack(dir);
        if (missing != null) {
            return new StateLookup(null, null, ErrorReport.print(main, missing));
        }
        try {
            Engine engine = new Engine();
            Optional<Map.Entry<Revision, RecordedState>> at = engine.show(dir, revision);
            if (at.isPresent()) {
                return new StateLookup(at.get().getKey(), at.get().getValue(), ExitCode.OK);
            }
            if (engine.history(dir, Optional.empty(), 1).isEmpty()) {
                return new StateLookup(null, null, ExitCode.OK);
            }
            return new StateLookup(null, null, ErrorReport.print(main,
                    Diagnostic.error(null, "no revision " + revision + " in the state history")
                            .withDetail("`imm history` lists the revisions; HEAD and HEAD~N work too.")));
        } catch (StateException e) {
            return new StateLookup(null, null, ErrorReport.print(main, ErrorReport.unreadableState(dir, e)));
        }
    }
}
