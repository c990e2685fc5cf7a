package dev.imm.cli;

import dev.imm.render.StateTextRenderer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show the state recorded at a revision (default: the latest): its serial and lineage, the "
                + "outputs, every image with its versions, and every fleet with its cloud id, image, launch "
                + "configuration, sizes, target groups and tags.",
        footer = {"", "Examples:", "  imm show examples/quickstart", "  imm show examples/quickstart --revision HEAD~1",
                "  imm show --revision 4abd6a0"})
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Option(names = {"--revision", "-r"}, paramLabel = "REV",
            description = "A revision from imm history, HEAD or HEAD~N (default: HEAD).")
    String revision = "HEAD";

    @Override
    public Integer call() {
        StateLookup lookup = StateLookup.read(main, dir, revision);
        if (lookup.noStateYet()) {
            main.out.println("No state yet: nothing has been applied to this stack.");
            return ExitCode.OK;
        }
        if (!lookup.found()) {
            return lookup.exitCode();
        }
        main.out.print(StateTextRenderer.render(lookup.revision(), lookup.state()));
        return ExitCode.OK;
    }
}
