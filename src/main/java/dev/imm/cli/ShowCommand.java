package dev.imm.cli;

import dev.imm.render.StateTextRenderer;
import java.nio.file.Path;

final class ShowCommand extends Verb {
    Path dir = Path.of(".");
    String revision = "HEAD";

    ShowCommand(Main main) {
        super(main, "show", Model.lines("Show the state recorded at a revision (default: the latest): its serial and lineage, the "
                + "outputs, every image with its versions, and every fleet with its cloud id, image, launch "
                + "configuration, sizes, target groups and tags."),
                "", "Examples:", "  imm show examples/quickstart", "  imm show examples/quickstart --revision HEAD~1",
                "  imm show --revision 4abd6a0");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        spec.addOption(Model.option("--revision, -r", "REV", "A revision from imm history, HEAD or HEAD~N (default: HEAD).",
                String.class, () -> revision, v -> revision = v).build());
    }

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
