package dev.imm.cli;

import dev.imm.model.Address;
import java.nio.file.Path;

final class StateListCommand extends Verb {
    Path dir = Path.of(".");
    String revision = "HEAD";

    StateListCommand(Main main) {
        super(main, "list", Model.lines("Print the address of every recorded resource, one a line: images, then fleets, sorted."),
                "", "Examples:", "  imm state list", "  imm state list examples/quickstart --revision HEAD~1");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        spec.addOption(Model.option("--revision, -r", "REV", "A revision from imm history, HEAD or HEAD~N (default: HEAD).",
                String.class, () -> revision, v -> revision = v).build());
    }

    @Override
    public Integer call() {
        StateLookup lookup = StateLookup.read(main, dir, revision);
        if (lookup.noStateYet()) {
            main.err.println("No state yet: nothing has been applied to this stack.");
            return ExitCode.OK;
        }
        if (!lookup.found()) {
            return lookup.exitCode();
        }
        for (Address image : lookup.state().images().keySet()) {
            main.out.println(image);
        }
        for (Address fleet : lookup.state().fleets().keySet()) {
            main.out.println(fleet);
        }
        return ExitCode.OK;
    }
}
