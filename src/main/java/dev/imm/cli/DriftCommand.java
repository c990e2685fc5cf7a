package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Refresher;
import dev.imm.plan.Drift;
import java.nio.file.Path;

final class DriftCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();

    DriftCommand(Main main) {
        super(main, "drift", Model.lines("Compare the recorded state with the live cloud, leaving the configuration out, and list "
                + "each difference, one a line: sizes or launch configuration changed in the cloud, "
                + "instances not on the recorded image, fleets and image versions gone from the cloud, and "
                + "what the cloud holds for the stack that the state does not record. Changes nothing; imm "
                + "refresh records what can be recorded."),
                "", "Examples:", "  imm drift examples/quickstart", "  imm drift || imm refresh");
        Model.exitCodes(spec, "0", "no drift: the cloud matches the recorded state", "1", "errors reported", "2", "drift found",
                "64", "usage error");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
    }

    @Override
    public Integer call() {
        Refresher.DriftReport report = new Refresher().drift(dir, variables.sources(main.env));
        main.err.print(new DiagnosticRenderer(report.sources()::get, main.color()).render(report.diagnostics()));
        if (report.hasErrors()) {
            return ExitCode.ERRORS;
        }
        if (report.differences().isEmpty()) {
            main.out.println(report.hasState() ? "No drift: the cloud matches the recorded state."
                    : "No drift: there is no recorded state yet, and the cloud holds nothing of this stack.");
            return ExitCode.OK;
        }
        for (Drift.Difference d : report.differences()) {
            main.out.println(d);
        }
        main.err.println("imm: the cloud differs from the recorded state: imm refresh records the cloud's values, "
                + "imm apply puts back what the stack declares");
        return ExitCode.CHANGES; // drift found, always (not only with --detailed-exitcode as for plan)
    }
}
