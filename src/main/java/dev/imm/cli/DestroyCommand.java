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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "destroy", mixinStandardHelpOptions = true,
        description = "Destroy every fleet of the stack, then retire every image version no fleet uses, "
                + "recording every step in the state repository as apply does. Shows the plan and asks "
                + "first, unless --auto-approve. A fleet with prevent_destroy = true stops it before "
                + "anything changes.",
        footer = {"", "Examples:", "  imm destroy examples/quickstart", "  imm destroy --auto-approve -var env=staging"})
final class DestroyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Mixin
    VariableOptions variables = new VariableOptions();

    @Mixin
    ApplyOptions applyOptions = new ApplyOptions();

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
