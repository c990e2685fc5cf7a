package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import java.nio.file.Path;
import java.util.Optional;

final class RollbackCommand extends Verb {
    Path dir = Path.of(".");
    String revision;
    final VariableOptions variables = new VariableOptions();
    final ApplyOptions applyOptions = new ApplyOptions();

    RollbackCommand(Main main) {
        super(main, "rollback", Model.lines("Roll every fleet back to the image it ran at an earlier revision (default: the apply before",
                "the last successful one). Nothing is baked; the rollback is applied and recorded as a new apply."),
                "", "Examples:", "  imm rollback examples/quickstart --auto-approve",
                "  imm rollback examples/quickstart --revision 4abd6a0");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        spec.addOption(Model.option("--revision, -r", "REV", "The revision to go back to (see imm history).", String.class,
                () -> revision, v -> revision = v).build());
        variables.addTo(spec);
        applyOptions.addTo(spec);
    }

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
