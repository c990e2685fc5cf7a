package dev.imm.cli;

import dev.imm.apply.Executor;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ApplyOutcome;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.plan.Plan;
import dev.imm.render.PlanTextRenderer;
import dev.imm.value.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
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

    @Option(names = "--auto-approve", description = "Destroy without asking.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", description = "Steps run at once (default 4; the simulated cloud runs one at a time).")
    int parallelism = 4;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", description = "Wait this long for another apply's lock (default 0s).")
    String lockTimeout = "0s";

    @Override
    public Integer call() throws IOException {
        Duration wait = Durations.parse(lockTimeout).map(Duration::ofMillis).orElseThrow(() ->
                new picocli.CommandLine.ParameterException(spec.commandLine(), "--lock-timeout takes a duration such as 30s or 5m"));
        if (parallelism < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--parallelism must be at least 1");
        }
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
        main.out.print(new PlanTextRenderer(main.color()).render(plan));
        if (!plan.blockers().isEmpty()) {
            main.err.println("imm: the stack cannot be destroyed (errors above)");
            return ExitCode.ERRORS;
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
        main.err.print(diagnostics.render(outcome.diagnostics()));
        if (outcome.result() == null) {
            return ExitCode.ERRORS;
        }
        main.out.println();
        main.out.println("Destroy " + outcome.applyId() + " " + outcome.result().status()
                + (outcome.revision() == null ? "." : "; recorded as revision " + outcome.revision().shortId() + "."));
        return outcome.succeeded() ? ExitCode.OK : ExitCode.ERRORS;
    }

    private boolean confirmed() throws IOException {
        if (System.console() == null) {
            main.err.println("imm: there is no terminal to confirm on: run with --auto-approve to destroy without asking");
            return false;
        }
        main.out.print("\nDestroy all of the above? This cannot be undone. Only 'yes' is accepted: ");
        main.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"yes".equals(answer == null ? null : answer.strip())) {
            main.err.println("imm: destroy cancelled");
            return false;
        }
        return true;
    }
}
