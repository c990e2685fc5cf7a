package dev.imm.cli;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.DidYouMean;
import dev.imm.model.Address;
import dev.imm.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print one resource's record as JSON, exactly as the state repository keeps it "
                + "(resources/<kind>/<name>.json). Note the order: the address first, then the directory.",
        footer = {"", "Examples:", "  imm state show fleet.web", "  imm state show image.web examples/quickstart",
                "  imm state show 'fleet.worker[\"eu\"]' stacks/shop --revision HEAD~2"})
final class StateShowCommand implements Callable<Integer> {
    @ParentCommand
    StateCommand state;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ADDR", description = "image.NAME, fleet.NAME or fleet.NAME[\"KEY\"].")
    String address;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Option(names = {"--revision", "-r"}, paramLabel = "REV",
            description = "A revision from imm history, HEAD or HEAD~N (default: HEAD).")
    String revision = "HEAD";

    @Override
    public Integer call() {
        Address wanted = AddressArguments.parse(List.of(address), spec.commandLine()).iterator().next();
        StateLookup lookup = StateLookup.read(state.main, dir, revision);
        if (lookup.noStateYet()) {
            return ErrorReport.print(state.main, Diagnostic.error(null, wanted + " is not in the state")
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
            return ErrorReport.print(state.main, Diagnostic.error(null, wanted + " is not in the state")
                    .withDetail(near + "`imm state list` lists the recorded resources."));
        }
        state.main.out.print(new String(record, StandardCharsets.UTF_8));
        return ExitCode.OK;
    }
}
