package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.apply.ApplyHook;
import dev.imm.apply.ApplyResult;
import dev.imm.apply.TimelineRecorder;
import dev.imm.plan.Plan;
import dev.imm.plan.Timeline;
import dev.imm.render.HtmlReport;
import dev.imm.render.PlanJsonRenderer;
import dev.imm.render.PlanMarkdownRenderer;
import dev.imm.render.PlanTextRenderer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

final class PlanCommand extends Verb {
    Path dir = Path.of(".");
    final PlanFlags flags = new PlanFlags();
    String format = "text";
    Path output;
    Path report;
    String reportUrl;
    boolean detailedExitCode;
    Path out;
    boolean rehearse;

    PlanCommand(Main main) {
        super(main, "plan", Model.lines("Show what apply would bake, create, update, roll, destroy and retire, and why."),
                "", "Examples:", "  imm plan examples/quickstart", "  imm plan --format markdown > plan.md",
                "  imm plan --rehearse --format html -o report.html",
                "  imm plan --target fleet.web -var app_version=1.5.0");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        flags.addTo(spec);
        spec.addOption(Model.option("--format", "FORMAT", "text (default), markdown, json or html (a report"
                + " page with the timeline and capacity charts; see docs/report.md).", String.class, () -> format, v -> format = v).build());
        spec.addOption(Model.option("-o, --output", "FILE", "Write the rendered plan to FILE instead of"
                + " standard output.", Path.class, () -> output, v -> output = v).build());
        spec.addOption(Model.option("--report", "FILE", "Also write the HTML report to FILE (whatever --format is).",
                Path.class, () -> report, v -> report = v).build());
        spec.addOption(Model.option("--report-url", "URL", "With --format markdown: link the preview to the"
                + " HTML report at URL (where CI keeps it).", String.class, () -> reportUrl, v -> reportUrl = v).build());
        spec.addOption(Model.flag("--detailed-exitcode", "Exit 2 when the plan has changes, 0 when it has none.",
                () -> detailedExitCode, v -> detailedExitCode = v).build());
        spec.addOption(Model.option("-out, --out", "FILE",
                "Save the plan; `imm apply FILE` applies exactly it, or refuses if the state or the cloud changed.",
                Path.class, () -> out, v -> out = v).build());
        spec.addOption(Model.flag("--rehearse", "Also run the plan on a throwaway copy of the simulated cloud (with its "
                + "faults): text and markdown print each fleet's timeline, json and html carry it; nothing real is touched.",
                () -> rehearse, v -> rehearse = v).build());
    }

    @Override
    public Integer call() throws java.io.IOException {
        if (!List.of("text", "markdown", "json", "html").contains(format)) {
            throw usageError("--format must be text, markdown, json or html, not " + format);
        }
        if (reportUrl != null && !format.equals("markdown")) {
            throw usageError("--report-url links the Markdown preview to the report: use it with --format markdown");
        }
        dev.imm.engine.PlanOptions options = flags.options(main.env, spec.commandLine());
        // a plan that writes nothing but its output may be the one made last time from the same inputs
        boolean memo = !rehearse && out == null && output == null && report == null && dev.imm.engine.PlanMemo.enabled(main.env);
        dev.imm.engine.PlanMemo.Lookup lookup = null;
        if (memo) {
            lookup = dev.imm.engine.PlanMemo.find(dir, request(), options.variables().files());
            if (lookup.kept().isPresent()) {
                dev.imm.engine.PlanMemo.Output kept = lookup.kept().get();
                main.err.print(kept.err());
                main.out.print(kept.out());
                return kept.exitCode();
            }
        }
        PreparedPlan prepared = new Engine().prepare(dir, options);
        PlanResult result = prepared.result();
        String diagnostics = new DiagnosticRenderer(result.sources()::get, main.color()).render(result.diagnostics());
        main.err.print(diagnostics);
        String plain = new DiagnosticRenderer(result.sources()::get, false).render(result.diagnostics());
        if (result.hasErrors()) {
            if (format.equals("markdown")) {
                Integer failed = write(PlanMarkdownRenderer.renderFailure(new dev.imm.engine.Stack(dir).name(), plain));
                return failed != null ? failed : ExitCode.ERRORS;
            }
            return ExitCode.ERRORS;
        }
        Plan plan = result.plan();
        dev.imm.model.DesiredState desired = result.evaluation().desired();
        Timeline timeline = null;
        String rehearsal = "";
        if (rehearse && plan.blockers().isEmpty()) {
            RehearsalView view = new RehearsalView();
            TimelineRecorder recorder = new TimelineRecorder();
            try {
                ApplyResult rehearsed = new Engine().rehearse(prepared, ApplyHook.both(view, recorder));
                timeline = recorder.timeline(Timeline.Source.REHEARSED, rehearsed, plan, desired, parallelism(plan));
                rehearsal = view.render(rehearsed, plan, timeline);
            } catch (dev.imm.provider.ProviderException e) {
                main.err.println("error: cannot rehearse: " + e.getMessage());
                return ExitCode.ERRORS;
            }
        } else if (format.equals("html") || report != null) {
            timeline = Timeline.estimated(plan, desired);
        }
        String rendered = switch (format) {
            case "json" -> rehearse ? PlanJsonRenderer.render(plan, timeline) : PlanJsonRenderer.render(plan);
            case "html" -> HtmlReport.plan(plan, timeline);
            case "markdown" -> {
                String md = PlanMarkdownRenderer.render(plan, plain);
                md = reportUrl == null ? md : PlanMarkdownRenderer.withReportLink(md, reportUrl);
                yield rehearsal.isEmpty() ? md : md + "\n```\n" + rehearsal.strip() + "\n```\n";
            }
            default -> new PlanTextRenderer(main.color()).render(plan) + rehearsal;
        };
        Integer failed = write(rendered);
        dev.imm.engine.Stages.end("render");
        if (failed != null) {
            return failed;
        }
        if (lookup != null) {
            int code = !plan.blockers().isEmpty() ? ExitCode.ERRORS
                    : detailedExitCode && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
            dev.imm.engine.PlanMemo.keep(lookup, prepared, new dev.imm.engine.PlanMemo.Output(code, rendered, diagnostics));
        }
        if (report != null) {
            dev.imm.diag.Diagnostic unwritten = ErrorReport.write(report, HtmlReport.plan(plan, timeline));
            if (unwritten != null) {
                return ErrorReport.print(main, unwritten);
            }
            main.err.println("Wrote the report to " + report);
        }
        if (!plan.blockers().isEmpty()) {
            return ExitCode.ERRORS;
        }
        if (out != null) {
            java.util.Set<String> sensitive = new java.util.TreeSet<>();
            result.evaluation().values().forEach((key, value) -> {
                if (key.startsWith("var.") && value instanceof dev.imm.value.Value.Sensitive) {
                    sensitive.add(key.substring(4));
                }
            });
            dev.imm.diag.Diagnostic unwritten = ErrorReport.write(out, dev.imm.engine.SavedPlan.of(dir, options, plan, sensitive).toJson());
            if (unwritten != null) {
                return ErrorReport.print(main, unwritten);
            }
            main.err.println("Saved the plan to " + out + "; apply it with: imm apply " + out);
        }
        return detailedExitCode && plan.hasChanges() ? ExitCode.CHANGES : ExitCode.OK;
    }

    /**
     * What this run's output depends on besides the files, state and cloud: imm's build, where it runs,
     * its arguments, the environment it reads (variables, colour) and whether it colours.
     */
    private String request() {
        StringBuilder r = new StringBuilder(VersionCommand.version()).append('\n').append(System.getProperty("user.dir"))
                .append('\n').append(dir.toAbsolutePath().normalize()).append('\n');
        spec.root().commandLine().getParseResult().originalArgs().forEach(a -> r.append(a).append('\0'));
        new java.util.TreeMap<>(main.env).forEach((k, v) -> {
            if ((k.startsWith("IMM_") && !k.equals("IMM_PROFILE")) || List.of("NO_COLOR", "TERM", "COLORTERM", "CLICOLOR",
                    "CLICOLOR_FORCE", "COLUMNS").contains(k)) {
                r.append('\n').append(k).append('=').append(v);
            }
        });
        return r.append("\ncolor=").append(main.color()).toString();
    }

    private static int parallelism(Plan plan) {
        return plan.estimate() == null ? dev.imm.plan.ApplyEstimate.DEFAULT_PARALLELISM : plan.estimate().parallelism();
    }

    /** To --output, or standard output; null when written, else the exit code after saying why not. */
    private Integer write(String rendered) {
        if (output == null) {
            main.out.print(rendered);
            return null;
        }
        dev.imm.diag.Diagnostic unwritten = ErrorReport.write(output, rendered);
        if (unwritten != null) {
            return ErrorReport.print(main, unwritten);
        }
        main.err.println("Wrote the plan to " + output);
        return null;
    }

    /** The options plan and apply share. */
    static final class PlanFlags {
        final VariableOptions variables = new VariableOptions();
        List<String> targets = new ArrayList<>();
        List<String> replace = new ArrayList<>();
        boolean refresh = true;

        void addTo(picocli.CommandLine.Model.CommandSpec spec) {
            variables.addTo(spec);
            spec.addOption(Model.repeatable("--target", "ADDR", "Plan only this resource and what it depends on (repeatable).",
                    String.class, () -> targets, v -> targets = v).build());
            spec.addOption(Model.repeatable("--replace", "FLEET", "Roll this fleet even if nothing changed (repeatable).",
                    String.class, () -> replace, v -> replace = v).build());
            spec.addOption(Model.flag("--refresh", "Read the live cloud (default); --refresh=false plans against the recorded"
                    + " state alone.", () -> refresh, v -> refresh = v).negatable(true).defaultValue("true").fallbackValue("true").build());
        }

        PlanOptions options(java.util.Map<String, String> env, picocli.CommandLine commandLine) {
            return new PlanOptions(variables.sources(env), AddressArguments.parse(targets, commandLine),
                    AddressArguments.parse(replace, commandLine), refresh);
        }
    }
}
