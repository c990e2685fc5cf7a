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

final class HistoryCommand extends Verb {
    Path dir = Path.of(".");
    String address;
    int limit = 20;
    boolean json;
    String format = "text";
    String apply;
    Path output;

    HistoryCommand(Main main) {
        super(main, "history", Model.lines("List the stack's applies, newest first: revision, time, author, outcome, summary."),
                "", "Examples:", "  imm history examples/quickstart", "  imm history examples/quickstart --address fleet.web -n 5",
                "  imm history examples/quickstart --format html -o apply.html");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        spec.addOption(Model.option("--address", "ADDR", "Only applies that changed this resource.", String.class,
                () -> address, v -> address = v).build());
        spec.addOption(Model.option("-n", "N", "At most N applies (default 20).", int.class, () -> limit, v -> limit = v).build());
        spec.addOption(Model.flag("--json", "One JSON document for machines (the same as --format json).", () -> json,
                v -> json = v).build());
        spec.addOption(Model.option("--format", "FORMAT", "text (default), json, or html: the report of one apply"
                + " (the newest listed, or --apply) with its timeline and capacity charts (docs/report.md).", String.class,
                () -> format, v -> format = v).build());
        spec.addOption(Model.option("--apply", "ID", "With --format html: the apply to report, by its id or a"
                + " revision of it (default: the newest listed).", String.class, () -> apply, v -> apply = v).build());
        spec.addOption(Model.option("-o, --output", "FILE", "With --format html: write the report to FILE instead of standard output.",
                Path.class, () -> output, v -> output = v).build());
    }

    private Integer html(Engine engine, Optional<Address> resource) throws Exception {
        List<ApplyRecord> applies = engine.history(dir, resource, apply == null ? 1 : Integer.MAX_VALUE);
        ApplyRecord chosen = applies.stream().filter(a -> apply == null || a.applyId().equals(apply)
                || a.revision().id().startsWith(apply)).findFirst().orElse(null);
        if (chosen == null) {
            return ErrorReport.print(main, dev.imm.diag.Diagnostic.error(null, apply == null ? "no applies yet"
                    : "no apply " + apply + " in the history").withDetail("`imm history` lists the applies and their revisions."));
        }
        Optional<dev.imm.plan.Timeline> timeline = engine.timeline(dir, chosen);
        if (timeline.isEmpty() && !chosen.status().equals("succeeded")) {
            return ErrorReport.print(main, dev.imm.diag.Diagnostic.error(null, "apply " + chosen.applyId() + " (" + chosen.status()
                    + ") recorded no timeline: it did not finish")
                    .withDetail("`imm history` shows what it did; its journal is in the state repository."));
        }
        String html = dev.imm.render.HtmlReport.apply(new dev.imm.render.HtmlReport.Applied(new dev.imm.engine.Stack(dir).name(),
                chosen.revision().shortId(), time(chosen.timeMillis()), chosen.author(), chosen.status(), chosen.summary(),
                chosen.reason()), timeline.orElse(null));
        if (output == null) {
            main.out.print(html);
        } else {
            dev.imm.diag.Diagnostic unwritten = ErrorReport.write(output, html);
            if (unwritten != null) {
                return ErrorReport.print(main, unwritten);
            }
            main.err.println("Wrote the report of apply " + chosen.applyId() + " to " + output);
        }
        return ExitCode.OK;
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString().replace("T", " ").replaceAll("\\.\\d+Z$", "Z").replace("Z", " UTC");
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("text", "json", "html").contains(format)) {
            throw usageError("--format must be text, json or html, not " + format);
        }
        if ((apply != null || output != null) && !format.equals("html")) {
            throw usageError("--apply and --output are for the report: use them with"
                    + " --format html");
        }
        json = json || format.equals("json");
        Optional<Address> resource = address == null ? Optional.empty()
                : Optional.of(AddressArguments.parse(List.of(address), spec.commandLine()).iterator().next());
        Engine engine = new Engine();
        if (format.equals("html")) {
            return html(engine, resource);
        }
        List<ApplyRecord> applies = engine.history(dir, resource, Math.max(1, limit));
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
            main.out.printf("%s  %s  %-10s %-12s %s%n", a.revision().shortId(), time(a.timeMillis()),
                    a.author(), a.status(), a.summary());
            if (!a.reason().isEmpty()) {
                main.out.println("         why: " + a.reason());
            }
        }
        return ExitCode.OK;
    }
}
