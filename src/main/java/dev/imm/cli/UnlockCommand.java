package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.engine.Unlocker;
import dev.imm.state.LockInfo;
import dev.imm.state.StateException;
import dev.imm.value.Durations;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

final class UnlockCommand extends Verb {
    Path dir = Path.of(".");
    boolean force;

    UnlockCommand(Main main) {
        super(main, "unlock", Model.lines("Show who holds the state lock, for what, since when and until when its lease runs, and "
                + "break it if the lease has ended. An apply renews its lease while it runs: break a live "
                + "lock (--force) only when you know its process is gone, or two applies may change the "
                + "same state."),
                "", "Examples:", "  imm unlock", "  imm unlock examples/quickstart --force");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        spec.addOption(Model.flag("--force", "Break the lock even though its lease has not ended.", () -> force,
                v -> force = v).build());
    }

    @Override
    public Integer call() {
        Diagnostic missing = ErrorReport.notAStack(dir);
        if (missing != null) {
            return ErrorReport.print(main, missing);
        }
        long now = System.currentTimeMillis();
        Unlocker.Outcome outcome;
        try {
            outcome = new Unlocker(() -> now).unlock(dir, force);
        } catch (StateException e) {
            return ErrorReport.print(main, ErrorReport.unreadableState(dir, e));
        }
        if (outcome.unreadable() != null) {
            ErrorReport.print(main, Diagnostic.warning(null, "the state lock could not be read").withDetail(outcome.unreadable()));
            main.out.println("Lock removed.");
            return ExitCode.OK;
        }
        if (outcome.lock().isEmpty()) {
            main.out.println("The state is not locked.");
            return ExitCode.OK;
        }
        LockInfo lock = outcome.lock().get();
        long left = lock.expiresMillis() - now;
        main.out.println("Locked by " + lock.owner() + " for " + lock.operation() + " since " + time(lock.startedMillis())
                + "; lease " + (left <= 0 ? "ended " + time(lock.expiresMillis()) + " (" + Durations.format(-left / 1000 * 1000) + " ago)"
                : "ends " + time(lock.expiresMillis()) + " (in " + Durations.format(left / 1000 * 1000) + ")") + ".");
        if (outcome.broken()) {
            main.out.println(outcome.expired() ? "Lock broken: its lease had ended." : "Lock broken (--force).");
            return ExitCode.OK;
        }
        return ErrorReport.print(main, Diagnostic.error(null, "the state lock is still held")
                .withDetail("Its holder renews the lease while it works. If that process is gone, wait until the lease ends "
                        + "and run imm unlock again, or run imm unlock --force now."));
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString().replace("T", " ").replace("Z", " UTC");
    }
}
