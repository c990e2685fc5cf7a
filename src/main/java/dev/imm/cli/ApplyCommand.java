package dev.imm.cli;

import dev.imm.apply.Executor;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ApplyOutcome;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import dev.imm.value.Durations;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bake, create, update, roll, destroy and retire as the plan says, recording every step in the",
                "stack's state repository (.imm/state.git). Shows the plan and asks first, unless --auto-approve."},
        footer = {"", "Examples:", "  imm apply examples/quickstart", "  imm apply --auto-approve -var app_version=1.5.0"})
final class ApplyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR|PLANFILE",
            description = "Stack directory (default: current directory), or a plan saved with imm plan -out.")
    Path dir = Path.of(".");

    @Mixin
    PlanCommand.PlanFlags flags = new PlanCommand.PlanFlags();

    @Option(names = "--auto-approve", description = "Apply without asking.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", description = "Steps run at once (default 4; the simulated cloud runs one at a time).")
    int parallelism = 4;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", description = "Wait this long for another apply's lock (default 0s).")
    String lockTimeout = "0s";

    @Override
    public Integer call() throws Exception {
        Duration wait = Durations.parse(lockTimeout).map(Duration::ofMillis).orElseThrow(() ->
                new picocli.CommandLine.ParameterException(spec.commandLine(), "--lock-timeout takes a duration such as 30s or 5m"));
        if (parallelism < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--parallelism must be at least 1");
        }
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
        main.out.print(new PlanTextRenderer(main.color()).render(plan));
        if (!plan.blockers().isEmpty()) {
            main.err.println("imm: the plan cannot be applied (errors above)");
            return ExitCode.ERRORS;
        }
        if (!plan.hasChanges()) {
            return ExitCode.OK;
        }
        if (!autoApprove && !confirmed()) {
            return ExitCode.ERRORS;
        }
        main.out.println();
        AtomicReference<Executor> running = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            Executor executor = running.get();
            if (executor != null) {
                executor.cancel();
                main.err.println("\nimm: interrupted; letting running steps finish and recording the state...");
                try {
                    finished.await(10, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            main.out.flush();
            Runtime.getRuntime().halt(ExitCode.INTERRUPTED);
        }, "imm-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        ApplyOutcome outcome;
        try {
            outcome = engine.apply(prepared, new ApplyView(main.out, main.color()), parallelism, wait,
                    System.getProperty("user.name", "imm"), running::set);
        } finally {
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException exiting) {
            return ExitCode.INTERRUPTED; // the hook is running: it ends the process
        }
        main.err.print(new DiagnosticRenderer(result.sources()::get, main.color()).render(outcome.diagnostics()));
        if (outcome.result() == null) {
            return ExitCode.ERRORS;
        }
        String status = outcome.result().status();
        main.out.println();
        main.out.println("Apply " + outcome.applyId() + " " + status
                + (outcome.revision() == null ? "." : "; recorded as revision " + outcome.revision().shortId() + "."));
        return outcome.succeeded() ? ExitCode.OK : ExitCode.ERRORS;
    }

    private boolean confirmed() throws java.io.IOException {
        if (System.console() == null) {
            main.err.println("imm: there is no terminal to confirm on: run with --auto-approve to apply without asking");
            return false;
        }
        main.out.print("\nApply these changes? Only 'yes' is accepted: ");
        main.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"yes".equals(answer == null ? null : answer.strip())) {
            main.err.println("imm: apply cancelled");
            return false;
        }
        return true;
    }
}
