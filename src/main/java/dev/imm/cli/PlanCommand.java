package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanJsonRenderer;
import dev.imm.render.PlanMarkdownRenderer;
import dev.imm.render.PlanTextRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would bake, create, update, roll, destroy and retire, and why."},
        footer = {"", "Examples:", "  imm plan examples/quickstart", "  imm plan --format markdown > plan.md",
                "  imm plan --target fleet.web -var app_version=1.5.0"})
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Mixin
    PlanFlags flags = new PlanFlags();

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default), markdown or json.")
    String format = "text";

    @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes, 0 when it has none.")
    boolean detailedExitCode;

    @Option(names = {"-out", "--out"}, paramLabel = "FILE",
            description = "Save the plan; `imm apply FILE` applies exactly it, or refuses if the state or the cloud changed.")
    Path out;

    @Option(names = "--rehearse", description = "Also run the plan on a throwaway copy of the simulated cloud (with its "
            + "faults) and print each fleet's timeline; nothing real is touched.")
    boolean rehearse;

    @Override
    public Integer call() throws java.io.IOException {
        if (!List.of("text", "markdown", "json").contains(format)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--format must be text, markdown or json, not " + format);
        }
        if (rehearse && format.equals("json")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--rehearse prints a timeline: use it with"
                    + " --format text or markdown");
        }
        dev.imm.engine.PlanOptions options = flags.options(main.env, spec.commandLine());
        PreparedPlan prepared = new Engine().prepare(dir, options);
        PlanResult result = prepared.result();
        main.err.print(new DiagnosticRenderer(result.sources()::get, main.color()).render(result.diagnostics()));
        String plain = new DiagnosticRenderer(result.sources()::get, false).render(result.diagnostics());
        if (result.hasErrors()) {
            if (format.equals("markdown")) {
                main.out.print(PlanMarkdownRenderer.renderFailure(new dev.imm.engine.Stack(dir).name(), plain));
            }
            return ExitCode.ERRORS;
        }
        Plan plan = result.plan();
        switch (format) {
            case "json":
                main.out.print(PlanJsonRenderer.render(plan));
                break;
            case "markdown":
                main.out.print(PlanMarkdownRenderer.render(plan, plain));
                break;
            default:
                main.out.print(new PlanTextRenderer(main.color()).render(plan));
        }
        if (!plan.blockers().isEmpty()) {
            return ExitCode.ERRORS;
        }
        if (rehearse) {
            RehearsalView view = new RehearsalView();
            try {
                String timeline = view.render(new Engine().rehearse(prepared, view), plan, result.evaluation().desired());
                main.out.print(format.equals("markdown") ? "\n```\n" + timeline.strip() + "\n```\n" : timeline);
            } catch (dev.imm.provider.ProviderException e) {
                main.err.println("error: cannot rehearse: " + e.getMessage());
                return ExitCode.ERRORS;
            }
        }
        if (out != null) {
            java.util.Set<String> sensitive = new java.util.TreeSet<>();
            result.evaluation().values().forEach((key, value) -> {
                if (key.startsWith("var.") && value instanceof dev.imm.value.Value.Sensitive) {
                    sensitive.add(key.substring(4));
                }
            });
            java.nio.file.Files.writeString(out, dev.imm.engine.SavedPlan.of(dir, options, plan, sensitive).toJson());
            main.err.println("Saved the plan to " + out + "; apply it with: imm apply " + out);
        }
        return detailedExitCode && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
    }

    /** The options plan and apply share. */
    static final class PlanFlags {
        @Mixin
        VariableOptions variables = new VariableOptions();

        @Option(names = "--target", paramLabel = "ADDR", description = "Plan only this resource and what it depends on (repeatable).")
        List<String> targets = new ArrayList<>();

        @Option(names = "--replace", paramLabel = "FLEET", description = "Roll this fleet even if nothing changed (repeatable).")
        List<String> replace = new ArrayList<>();

        @Option(names = "--refresh", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Read the live cloud (default); --refresh=false plans against the recorded state alone.")
        boolean refresh = true;

        PlanOptions options(java.util.Map<String, String> env, picocli.CommandLine commandLine) {
            return new PlanOptions(variables.sources(env), AddressArguments.parse(targets, commandLine),
                    AddressArguments.parse(replace, commandLine), refresh);
        }
    }
}
