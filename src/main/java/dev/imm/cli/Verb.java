package dev.imm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One verb of {@code imm}: its options, declared in its constructor into {@link #spec} (see {@link Model}),
 * and what it does, in {@link #call}, which returns an exit code of {@link ExitCode}.
 */
abstract class Verb implements Callable<Integer> {
    /** The command line the verb runs in: its streams, environment and global options. */
    final Main main;
    /** Picocli's model of this verb. */
    final CommandSpec spec;

    Verb(Main main, String name, String[] description, String... footer) {
        this.main = main;
        this.spec = Model.command(this, name, description, footer);
    }

    /** A mistake in the command line that picocli could not catch: printed with the hint to run --help. */
    final CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
