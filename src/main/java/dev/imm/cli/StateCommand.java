package dev.imm.cli;

final class StateCommand extends Verb {
    StateCommand(Main main) {
        super(main, "state", Model.lines("Look at the recorded state resource by resource: list the addresses, or show one record."),
                "", "Examples:", "  imm state list examples/quickstart", "  imm state show fleet.web examples/quickstart");
        spec.addSubcommand("list", Model.commandLine(new StateListCommand(main).spec));
        spec.addSubcommand("show", Model.commandLine(new StateShowCommand(main).spec));
    }

    @Override
    public Integer call() {
        throw usageError("state needs a subcommand: list or show");
    }
}
