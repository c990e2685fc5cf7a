package dev.imm.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The options of every command that changes the cloud: apply, destroy, rollback. */
final class ApplyOptions {
    boolean autoApprove;
    int parallelism = 4;
    final LockTimeoutOption lockTimeout = new LockTimeoutOption();
    boolean json;

    void addTo(CommandSpec spec) {
        spec.addOption(Model.flag("--auto-approve", "Go ahead without asking.", () -> autoApprove, v -> autoApprove = v).build());
        spec.addOption(Model.option("--parallelism", "N", "Steps run at once (default 4; the simulated cloud runs one at a time).",
                int.class, () -> parallelism, v -> parallelism = v).build());
        lockTimeout.addTo(spec);
        spec.addOption(Model.flag("--json", "Stream the run's events as JSON lines on standard output (the plan goes to standard error).",
                () -> json, v -> json = v).build());
    }

    /** Checks the values; a wrong one is a usage error. */
    Duration lockWait(CommandLine commandLine) {
        if (parallelism < 1) {
            throw new CommandLine.ParameterException(commandLine, "--parallelism must be at least 1");
        }
        return lockTimeout.wait(commandLine);
    }
}
