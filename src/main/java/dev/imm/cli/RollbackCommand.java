package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll every fleet back to the image it ran at an earlier revision (default: the apply before",
                "the last successful one). Nothing is baked; the rollback is applied and recorded as a new apply."},
        footer = {"", "Examples:", "  imm rollback examples/quickstart --auto-approve",
                "  imm rollback examples/quickstart --revision 4abd6a0"})
final class RollbackCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Option(names = {"--revision", "-r"}, paramLabel = "REV", description = "The revision to go back to (see imm history).")
    String revision;

    @Mixin
    VariableOptions variables = new VariableOptions();

    @Mixin
    ApplyOptions applyOptions = new ApplyOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Engine engine = new Engine();
        PreparedPlan prepared = engine.prepareRollback(dir, Optional.ofNullable(revision),
                new dev.imm.engine.PlanOptions(variables.sources(main.env), java.util.Set.of(), java.util.Set.of(), true));
        PlanResult result = prepared.result();
        main.err.print(new DiagnosticRenderer(result.sources()::get, main.color()).render(result.diagnostics()));
        if (result.hasErrors()) {
            return ExitCode.ERRORS;
        }
        Plan plan = result.plan();
        (applyOptions.json ? main.err : main.out).print(new PlanTextRenderer(main.color()).render(plan));
        if (!plan.blockers().isEmpty()) {
            return ExitCode.ERRORS;
        }
        if (!plan.hasChanges()) {
            return ExitCode.OK;
        }
        return ApplyRun.confirmAndRun(main, engine, prepared, applyOptions, applyOptions.lockWait(spec.commandLine()), "Rollback");
    }
}
