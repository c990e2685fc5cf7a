package dev.imm.cli;

import dev.imm.model.Address;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Print the address of every recorded resource, one a line: images, then fleets, sorted.",
        footer = {"", "Examples:", "  imm state list", "  imm state list examples/quickstart --revision HEAD~1"})
final class StateListCommand implements Callable<Integer> {
    @ParentCommand
    StateCommand state;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Option(names = {"--revision", "-r"}, paramLabel = "REV",
            description = "A revision from imm history, HEAD or HEAD~N (default: HEAD).")
    String revision = "HEAD";

    @Override
    public Integer call() {
        StateLookup lookup = StateLookup.read(state.main, dir, revision);
        if (lookup.noStateYet()) {
            state.main.err.println("No state yet: nothing has been applied to this stack.");
            return ExitCode.OK;
        }
        if (!lookup.found()) {
            return lookup.exitCode();
        }
        for (Address image : lookup.state().images().keySet()) {
            state.main.out.println(image);
        }
        for (Address fleet : lookup.state().fleets().keySet()) {
            state.main.out.println(fleet);
        }
        return ExitCode.OK;
    }
}
