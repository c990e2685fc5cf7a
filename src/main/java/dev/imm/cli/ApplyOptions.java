package dev.imm.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of every command that changes the cloud: apply, destroy, rollback. */
final class ApplyOptions {
    @Option(names = "--auto-approve", description = "Go ahead without asking.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", description = "Steps run at once (default 4; the simulated cloud runs one at a time).")
    int parallelism = 4;

    @CommandLine.Mixin
    LockTimeoutOption lockTimeout = new LockTimeoutOption();

    @Option(names = "--json", description = "Stream the run's events as JSON lines on standard output (the plan goes to standard error).")
    boolean json;

    /** Checks the values; a wrong one is a usage error. */
    Duration lockWait(CommandLine commandLine) {
        if (parallelism < 1) {
            throw new CommandLine.ParameterException(commandLine, "--parallelism must be at least 1");
        }
        return lockTimeout.wait(commandLine);
    }
}
