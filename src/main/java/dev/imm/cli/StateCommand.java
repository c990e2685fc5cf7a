package dev.imm.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Look at the recorded state resource by resource: list the addresses, or show one record.",
        subcommands = {StateListCommand.class, StateShowCommand.class},
        footer = {"", "Examples:", "  imm state list examples/quickstart", "  imm state show fleet.web examples/quickstart"})
final class StateCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "state needs a subcommand: list or show");
    }
}
