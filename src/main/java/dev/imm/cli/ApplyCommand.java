package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import java.nio.file.Path;
import java.time.Duration;

final class ApplyCommand extends Verb {
    Path dir = Path.of(".");
    final PlanCommand.PlanFlags flags = new PlanCommand.PlanFlags();
    final ApplyOptions applyOptions = new ApplyOptions();

    ApplyCommand(Main main) {
        super(main, "apply", Model.lines("Bake, create, update, roll, destroy and retire as the plan says, recording every step in the",
                "stack's state repository (.imm/state.git). Shows the plan and asks first, unless --auto-approve."),
                "", "Examples:", "  imm apply examples/quickstart", "  imm apply --auto-approve -var app_version=1.5.0");
        spec.addPositional(Model.positional("0", "DIR|PLANFILE",
                "Stack directory (default: current directory), or a plan saved with imm plan -out.", Path.class,
                () -> dir, v -> dir = v).arity("0..1").build());
        flags.addTo(spec);
        applyOptions.addTo(spec);
    }

    @Override
    public Integer call() throws Exception {
        Duration wait = applyOptions.lockWait(spec.commandLine());
        Engine engine = new Engine();
        PreparedPlan prepared;
        if (java.nio.file.Files.isRegularFile(dir)) {
            dev.imm.engine.SavedPlan saved;
            try {
                saved = dev.imm.engine.SavedPlan.read(java.nio.file.Files.readString(dir));
            } catch (java.io.IOException e) {
                main.err.println("imm: cannot read the plan file " + dir + ": " + e.getMessage());
                return ExitCode.ERRORS;
            }
            prepared = engine.prepareSaved(saved, flags.variables.sources(main.env));
        } else {
            prepared = engine.prepare(dir, flags.options(main.env, spec.commandLine()));
        }
        PlanResult result = prepared.result();
        main.err.print(new DiagnosticRenderer(result.sources()::get, main.color()).render(result.diagnostics()));
        if (result.hasErrors()) {
            return ExitCode.ERRORS;
        }
        Plan plan = result.plan();
        (applyOptions.json ? main.err : main.out).print(new PlanTextRenderer(main.color()).render(plan));
        dev.imm.engine.Stages.end("plan shown");
        if (!plan.blockers().isEmpty()) {
            main.err.println("imm: the plan cannot be applied (errors above)");
            return ExitCode.ERRORS;
        }
        if (!plan.hasChanges()) {
            return ExitCode.OK;
        }
        return ApplyRun.confirmAndRun(main, engine, prepared, applyOptions, wait, "Apply");
    }
}
