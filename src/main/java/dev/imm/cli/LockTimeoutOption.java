package dev.imm.cli;

import dev.imm.value.Durations;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --lock-timeout}: how long a command that changes the state waits for another's lock. */
final class LockTimeoutOption {
    String lockTimeout = "0s";

    void addTo(CommandSpec spec) {
        spec.addOption(Model.option("--lock-timeout", "DURATION", "Wait this long for another apply's lock (default 0s).",
                String.class, () -> lockTimeout, v -> lockTimeout = v).build());
    }

    /** The wait; a value that is not a duration is a usage error. */
    Duration wait(CommandLine commandLine) {
        return Durations.parse(lockTimeout).map(Duration::ofMillis).orElseThrow(() ->
                new CommandLine.ParameterException(commandLine, "--lock-timeout takes a duration such as 30s or 5m"));
    }
}
