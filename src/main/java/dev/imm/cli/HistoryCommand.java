package dev.imm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.engine.ApplyRecord;
import dev.imm.engine.Engine;
import dev.imm.model.Address;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List the stack's applies, newest first: revision, time, author, outcome, summary.",
        footer = {"", "Examples:", "  imm history examples/quickstart", "  imm history examples/quickstart --address fleet.web -n 5"})
final class HistoryCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Option(names = "--address", paramLabel = "ADDR", description = "Only applies that changed this resource.")
    String address;

    @Option(names = "-n", paramLabel = "N", description = "At most N applies (default 20).")
    int limit = 20;

    @Option(names = "--json", description = "One JSON document for machines.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Optional<Address> resource = address == null ? Optional.empty()
                : Optional.of(AddressArguments.parse(List.of(address), spec.commandLine()).iterator().next());
        List<ApplyRecord> applies = new Engine().history(dir, resource, Math.max(1, limit));
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ArrayNode array = mapper.createArrayNode();
            for (ApplyRecord a : applies) {
                ObjectNode n = array.addObject();
                n.put("revision", a.revision().id());
                n.put("apply", a.applyId());
                n.put("time", Instant.ofEpochMilli(a.timeMillis()).toString());
                n.put("author", a.author());
                n.put("status", a.status());
                n.put("summary", a.summary());
                if (!a.reason().isEmpty()) {
                    n.put("reason", a.reason());
                }
            }
            main.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return ExitCode.OK;
        }
        if (applies.isEmpty()) {
            main.out.println("No applies yet.");
            return ExitCode.OK;
        }
        for (ApplyRecord a : applies) {
            main.out.printf("%s  %s  %-10s %-12s %s%n", a.revision().shortId(),
                    Instant.ofEpochMilli(a.timeMillis()).toString().replace("T", " ").replaceAll("\\.\\d+Z$", "Z").replace("Z", " UTC"),
                    a.author(), a.status(), a.summary());
            if (!a.reason().isEmpty()) {
                main.out.println("         why: " + a.reason());
            }
        }
        return ExitCode.OK;
    }
}
