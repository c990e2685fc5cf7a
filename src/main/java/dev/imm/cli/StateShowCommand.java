package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.DidYouMean;
import dev.imm.model.Address;
import dev.imm.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class StateShowCommand extends Verb {
    String address;
    Path dir = Path.of(".");
    String revision = "HEAD";

    StateShowCommand(Main main) {
        super(main, "show", Model.lines("Print one resource's record as JSON, exactly as the state repository keeps it "
                + "(resources/<kind>/<name>.json). Note the order: the address first, then the directory."),
                "", "Examples:", "  imm state show fleet.web", "  imm state show image.web examples/quickstart",
                "  imm state show 'fleet.worker[\"eu\"]' stacks/shop --revision HEAD~2");
        spec.addPositional(Model.positional("0", "ADDR", "image.NAME, fleet.NAME or fleet.NAME[\"KEY\"].", String.class,
                () -> address, v -> address = v).build());
        spec.addPositional(Model.directory("1", "Stack directory (default: current directory).", () -> dir, v -> dir = v));
        spec.addOption(Model.option("--revision, -r", "REV", "A revision from imm history, HEAD or HEAD~N (default: HEAD).",
                String.class, () -> revision, v -> revision = v).build());
    }

    @Override
    public Integer call() {
        Address wanted = AddressArguments.parse(List.of(address), spec.commandLine()).iterator().next();
        StateLookup lookup = StateLookup.read(main, dir, revision);
        if (lookup.noStateYet()) {
            return ErrorReport.print(main, Diagnostic.error(null, wanted + " is not in the state")
                    .withDetail("The stack has no recorded state yet: `imm apply` records it."));
        }
        if (!lookup.found()) {
            return lookup.exitCode();
        }
        byte[] record = StateCodec.encode(lookup.state()).get(StateCodec.pathOf(wanted));
        if (record == null) {
            List<String> known = new ArrayList<>();
            lookup.state().images().keySet().forEach(a -> known.add(a.toString()));
            lookup.state().fleets().keySet().forEach(a -> known.add(a.toString()));
            String near = DidYouMean.suggest(wanted.toString(), known).map(s -> "Did you mean " + s + "? ").orElse("");
            return ErrorReport.print(main, Diagnostic.error(null, wanted + " is not in the state")
                    .withDetail(near + "`imm state list` lists the recorded resources."));
        }
        main.out.print(new String(record, StandardCharsets.UTF_8));
        return ExitCode.OK;
    }
}
