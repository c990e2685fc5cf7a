package dev.imm.cli;

import dev.imm.apply.Executor;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ApplyOutcome;
import dev.imm.engine.Engine;
import dev.imm.engine.PreparedPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How apply, destroy and rollback carry out a plan they have shown: ask (or refuse when there is no
 * terminal to ask on, unless --auto-approve), run it with a live view, let Ctrl-C stop it cleanly (running
 * steps finish and are recorded, then exit 130), and report how it ended.
 */
final class ApplyRun {
    private ApplyRun() {
    }

    /** @param what the word for the run in messages: "Apply", "Destroy", "Rollback" */
    static int confirmAndRun(Main main, Engine engine, PreparedPlan prepared, ApplyOptions options, Duration lockWait,
                             String what) throws IOException {
        if (!options.autoApprove && !confirmed(main, what)) {
            return ExitCode.ERRORS;
        }
        (options.json ? main.err : main.out).println();
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
        ApplyView view = options.json ? null : new ApplyView(main.out, main.color());
        try {
            outcome = engine.apply(prepared, view == null ? new JsonEvents(main.out) : view, options.parallelism, lockWait,
                    System.getProperty("user.name", "imm"), running::set);
        } finally {
            if (view != null) {
                view.close();
            }
            finished.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException exiting) {
            return ExitCode.INTERRUPTED; // the hook is running: it ends the process
        }
        main.err.print(new DiagnosticRenderer(prepared.result().sources()::get, main.color()).render(outcome.diagnostics()));
        if (outcome.result() == null) {
            return ExitCode.ERRORS;
        }
        java.io.PrintStream report = options.json ? main.err : main.out;
        report.println();
        boolean unrecorded = outcome.diagnostics().stream().anyMatch(d -> d.severity() == dev.imm.diag.Severity.ERROR);
        report.println(what + " " + outcome.applyId() + " " + outcome.result().status()
                + (unrecorded ? " in the cloud, but its state was not all recorded (see the error above)"
                        + (outcome.revision() == null ? "." : "; the last revision recorded is " + outcome.revision().shortId() + ".")
                        : outcome.revision() == null ? "." : "; recorded as revision " + outcome.revision().shortId() + "."));
        return outcome.succeeded() ? ExitCode.OK : ExitCode.ERRORS;
    }

    private static boolean confirmed(Main main, String what) throws IOException {
        String verb = what.toLowerCase(java.util.Locale.ROOT);
        if (System.console() == null) {
            main.err.println("imm: there is no terminal to confirm on: run with --auto-approve to " + verb + " without asking");
            return false;
        }
        main.out.print("\n" + what + " these changes? Only 'yes' is accepted: ");
        main.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"yes".equals(answer == null ? null : answer.strip())) {
            main.err.println("imm: " + verb + " cancelled");
            return false;
        }
        return true;
    }
}
