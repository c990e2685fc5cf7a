package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

final class DestroyCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();
    final ApplyOptions applyOptions = new ApplyOptions();

    DestroyCommand(Main main) {
        super(main, "destroy", Model.lines("Destroy every fleet of the stack, then retire every image version no fleet uses, "
                + "recording every step in the state repository as apply does. Shows the plan and asks "
                + "first, unless --auto-approve. A fleet with prevent_destroy = true stops it before "
                + "anything changes."),
                "", "Examples:", "  imm destroy examples/quickstart", "  imm destroy --auto-approve -var env=staging");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
        applyOptions.addTo(spec);
    }

    @Override
    public Integer call() throws IOException {
        Duration wait = applyOptions.lockWait(spec.commandLine());
        Engine engine = new Engine();
        PreparedPlan prepared = engine.prepareDestroy(dir, new PlanOptions(variables.sources(main.env), Set.of(), Set.of(), true));
        PlanResult result = prepared.result();
        DiagnosticRenderer diagnostics = new DiagnosticRenderer(result.sources()::get, main.color());
        main.err.print(diagnostics.render(result.diagnostics()));
        if (result.hasErrors()) {
            return ExitCode.ERRORS;
        }
        Plan plan = result.plan();
        if (!plan.hasChanges() && plan.blockers().isEmpty()) {
            main.out.println("Nothing to destroy: the stack has no fleets and no image versions.");
            return ExitCode.OK;
        }
        (applyOptions.json ? main.err : main.out).print(new PlanTextRenderer(main.color()).render(plan));
        if (!plan.blockers().isEmpty()) {
            main.err.println("imm: the stack cannot be destroyed (errors above)");
            return ExitCode.ERRORS;
        }
        return ApplyRun.confirmAndRun(main, engine, prepared, applyOptions, wait, "Destroy");
    }
}
