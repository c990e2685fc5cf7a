package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Refresher;
import dev.imm.plan.Drift;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = "Read the live cloud and record it in the state, under the state lock: fleets whose "
                + "sizes, launch configuration, target groups or tags were changed in the cloud take the "
                + "cloud's values, and fleets and image versions gone from the cloud are dropped. Changes "
                + "nothing in the cloud and leaves the configuration out (the next plan compares it with "
                + "the refreshed state); see imm drift to only look.",
        footer = {"", "Examples:", "  imm refresh examples/quickstart", "  imm drift && imm refresh"})
final class RefreshCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Mixin
    VariableOptions variables = new VariableOptions();

    @Mixin
    LockTimeoutOption lockTimeout = new LockTimeoutOption();

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
