package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Refresher;
import dev.imm.plan.Drift;
import java.nio.file.Path;
import java.time.Duration;

final class RefreshCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();
    final LockTimeoutOption lockTimeout = new LockTimeoutOption();

    RefreshCommand(Main main) {
        super(main, "refresh", Model.lines("Read the live cloud and record it in the state, under the state lock: fleets whose "
                + "sizes, launch configuration, target groups or tags were changed in the cloud take the "
                + "cloud's values, and fleets and image versions gone from the cloud are dropped. Changes "
                + "nothing in the cloud and leaves the configuration out (the next plan compares it with "
                + "the refreshed state); see imm drift to only look."),
                "", "Examples:", "  imm refresh examples/quickstart", "  imm drift && imm refresh");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
        lockTimeout.addTo(spec);
    }

    @Override
    public Integer call() {
        Duration wait = lockTimeout.wait(spec.commandLine());
        Refresher.RefreshOutcome outcome = new Refresher().refresh(dir, variables.sources(main.env),
                System.getProperty("user.name", "imm"), wait);
        main.err.print(new DiagnosticRenderer(outcome.sources()::get, main.color()).render(outcome.diagnostics()));
        if (outcome.hasErrors()) {
            return ExitCode.ERRORS;
        }
        if (!outcome.hasState()) {
            main.out.println("No state yet: nothing to refresh.");
            return ExitCode.OK;
        }
        if (outcome.revision() == null) {
            main.out.println("No changes: the state already records what the cloud has.");
        } else {
            main.out.println("Recorded from the cloud:");
            for (Drift.Difference d : outcome.recorded()) {
                main.out.println("  " + d);
            }
            main.out.println("Refresh recorded as revision " + outcome.revision().shortId() + ".");
        }
        if (!outcome.remaining().isEmpty()) {
            main.out.println();
            main.out.println("Not recorded (imm plan shows how apply settles these):");
            for (Drift.Difference d : outcome.remaining()) {
                main.out.println("  " + d);
            }
        }
        return ExitCode.OK;
    }
}
