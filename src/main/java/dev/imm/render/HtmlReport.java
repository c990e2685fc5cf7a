package dev.imm.render;

import dev.imm.model.PolicyCheck;
import dev.imm.plan.Action;
import dev.imm.plan.AttributeChange;
import dev.imm.plan.Plan;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.plan.RollEstimate;
import dev.imm.plan.Timeline;
import dev.imm.value.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plan, or a recorded apply, as one self-contained HTML page (docs/report.md): the summary and every
 * change with its reasons, a timeline (Gantt) of the apply with its phases and critical path, and per
 * rolling fleet a chart of its healthy capacity against the policy's bounds. No scripts, fonts or
 * anything else is loaded: the styles are inline and the charts are SVG written here, from the same
 * {@link Timeline} that the JSON renders. Collapsible parts are {@code <details>} elements.
 *
 * <p>Large stacks stay usable: timeline rows are grouped by action in blocks of {@value #ROWS_PER_BLOCK},
 * charts in blocks of {@value #CHARTS_PER_BLOCK}; past {@value #OPEN_UP_TO} steps only each group's
 * first block is open. The page is byte-identical for equal inputs.
 */
public final class HtmlReport {
    static final int ROWS_PER_BLOCK = 100;
    static final int CHARTS_PER_BLOCK = 25;
    static final int OPEN_UP_TO = 100;

    // the timeline's geometry, in SVG user units
    private static final int GANTT_WIDTH = 1100;
    private static final int LABEL_WIDTH = 290;
    private static final int GANTT_PLOT = GANTT_WIDTH - LABEL_WIDTH - 20;
    private static final int ROW = 20;
    private static final int AXIS = 22;
    // a capacity chart's geometry
    private static final int CHART_WIDTH = 1000;
    private static final int CHART_HEIGHT = 220;
    private static final int CHART_LEFT = 40;
    private static final int CHART_RIGHT = 150;
    private static final int CHART_TOP = 12;
    private static final int CHART_BOTTOM = 30;

    /** A recorded apply, as {@code imm history} lists it. */
    public record Applied(String stack, String revision, String time, String author, String status, String summary,
                          String reason) {
    }

    private HtmlReport() {
    }

    /** The report of a plan; {@code timeline} is its rehearsal, its estimate laid out, or null when it does nothing. */
    public static String plan(Plan plan, Timeline timeline) {
        StringBuilder out = new StringBuilder();
        head(out, "imm plan: " + plan.stack());
        out.append("<header><h1>imm plan: ").append(esc(plan.stack())).append("</h1>\n<p class=\"meta\">");
        if (!plan.cloud().isEmpty()) {
            out.append("Cloud: ").append(esc(plan.cloud())).append(" · ");
        }
        out.append("State: ").append(plan.stateRevision() == null ? "none yet" : "<code>" + esc(shortId(plan.stateRevision()))
                + "</code>").append(" · ").append(sourceText(timeline)).append("</p></header>\n");
        out.append("<section id=\"summary\">\n");
        if (!plan.hasChanges() && plan.blockers().isEmpty()) {
            out.append("<p class=\"plan\">No changes. The cloud matches the stack.</p>\n");
        } else {
            for (String b : plan.blockers()) {
                out.append("<p class=\"callout caution\"><b>Blocked:</b> ").append(esc(b)).append("</p>\n");
            }
            List<String> destroys = plan.changes().stream().filter(c -> c.action() == Action.DESTROY)
                    .map(c -> "<code>" + esc(c.address().toString()) + "</code>").toList();
            if (!destroys.isEmpty()) {
                out.append("<p class=\"callout warning\">This plan destroys ").append(String.join(", ", destroys)).append(".</p>\n");
            }
            out.append("<p class=\"plan\"><b>Plan:</b> ").append(esc(PlanSummary.line(plan))).append("</p>\n");
            String duration = PlanSummary.duration(plan);
            if (duration != null) {
                out.append("<p><b>Apply time (estimate):</b> ").append(esc(duration)).append("</p>\n");
            }
        }
        checks(plan, out);
        out.append("</section>\n");
        timelineSections(timeline, out);
        changes(plan, timeline, out);
        return foot(out);
    }

    /** The report of an apply recorded in the state's history, from its timeline. */
    public static String apply(Applied applied, Timeline timeline) {
        StringBuilder out = new StringBuilder();
        head(out, "imm apply: " + applied.stack() + " " + applied.revision());
        out.append("<header><h1>imm apply: ").append(esc(applied.stack())).append("</h1>\n<p class=\"meta\">Revision <code>")
                .append(esc(applied.revision())).append("</code> · ").append(esc(applied.time())).append(" · by ")
                .append(esc(applied.author())).append(" · ").append(sourceText(timeline)).append("</p></header>\n");
        out.append("<section id=\"summary\">\n<p class=\"plan\"><b>Outcome:</b> <span class=\"status ")
                .append(cssName(applied.status())).append("\">").append(esc(applied.status())).append("</span> · ")
                .append(esc(applied.summary())).append("</p>\n");
        if (!applied.reason().isEmpty()) {
            out.append("<p class=\"callout warning\"><b>Why:</b> ").append(esc(applied.reason())).append("</p>\n");
        }
        out.append("</section>\n");
        timelineSections(timeline, out);
        out.append("<section id=\"changes\">\n<h2>Steps</h2>\n");
        if (timeline == null || timeline.bars().isEmpty()) {
            out.append("<p>The apply had nothing to do.</p>\n");
        } else {
            out.append("<table class=\"changes\">\n<thead><tr><th>address</th><th>action</th><th>outcome</th><th>reason</th>"
                    + "<th class=\"n\">start</th><th class=\"n\">took</th></tr></thead>\n<tbody>\n");
            for (Timeline.Bar b : timeline.bars()) {
                out.append("<tr><td><code>").append(esc(b.address().toString())).append("</code></td><td>").append(b.action().spelling())
                        .append("</td><td><span class=\"status ").append(cssName(b.status())).append("\">").append(esc(b.status()))
                        .append("</span>").append(b.detail().isEmpty() ? "" : " " + esc(b.detail())).append("</td><td>")
                        .append(esc(String.join("; ", b.reasons()))).append("</td><td class=\"n\">T+")
                        .append(Durations.format(b.startMillis())).append("</td><td class=\"n\">")
                        .append(Durations.format(b.endMillis() - b.startMillis())).append("</td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        out.append("</section>\n");
        return foot(out);
    }

    // ---- page ----

    private static void head(StringBuilder out, String title) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"imm\">\n<title>").append(esc(title)).append("</title>\n<style>\n")
                .append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    private static String foot(StringBuilder out) {
        return out.append("<footer>Written by imm: one file, nothing loaded from elsewhere.</footer>\n</body>\n</html>\n").toString();
    }

    private static String sourceText(Timeline timeline) {
        if (timeline == null) {
            return "nothing to apply";
        }
        return switch (timeline.source()) {
            case REHEARSED -> "timeline rehearsed on a copy of the simulated cloud (nothing was changed)";
            case APPLIED -> "timeline as the apply ran";
            case ESTIMATED -> "timeline estimated from the plan (run <code>imm plan --rehearse</code> on the simulated cloud"
                    + " for phases and capacity)";
        };
    }

    private static void checks(Plan plan, StringBuilder out) {
        if (plan.checks().isEmpty()) {
            return;
        }
        out.append("<h2>Policy checks</h2>\n<table class=\"checks\">\n<thead><tr><th>image</th><th>check</th><th>verdict</th>"
                + "<th>detail</th></tr></thead>\n<tbody>\n");
        for (PolicyCheck c : plan.checks()) {
            String verdict = c.verdict().label();
            out.append("<tr><td><code>").append(esc(c.image().toString())).append("</code></td><td>").append(esc(c.check()))
                    .append("</td><td><span class=\"status ").append(cssName(verdict)).append("\">").append(esc(verdict))
                    .append("</span></td><td>").append(esc(c.detail())).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n");
    }

    private static void changes(Plan plan, Timeline timeline, StringBuilder out) {
        out.append("<section id=\"changes\">\n<h2>Changes</h2>\n");
        List<ResourceChange> shown = plan.changes().stream().filter(c -> c.action() != Action.NO_OP).toList();
        if (shown.isEmpty()) {
            out.append("<p>None.</p>\n</section>\n");
            return;
        }
        Map<dev.imm.model.Address, Timeline.Bar> bars = new LinkedHashMap<>();
        if (timeline != null) {
            timeline.bars().forEach(b -> bars.put(b.address(), b));
        }
        boolean outcomes = timeline != null && timeline.source() == Timeline.Source.REHEARSED;
        out.append("<table class=\"changes\">\n<thead><tr><th>address</th><th>action</th><th>reasons</th><th>attributes</th>"
                + "<th class=\"n\">instances</th><th class=\"n\">estimate</th><th>healthy capacity</th>")
                .append(outcomes ? "<th>rehearsed</th>" : "").append("</tr></thead>\n<tbody>\n");
        for (ResourceChange c : shown) {
            RollEstimate e = c.estimate();
            out.append("<tr><td><code>").append(esc(c.address().toString())).append("</code></td><td><span class=\"action ")
                    .append(cssName(c.action().spelling())).append("\">").append(c.action().spelling()).append("</span>")
                    .append(c.drift() ? " (drift)" : "").append("</td><td>");
            reasons(c, out);
            out.append("</td><td>");
            List<String> attributes = new ArrayList<>();
            for (AttributeChange a : c.attributes()) {
                attributes.add("<code>" + esc(a.name()) + "</code> " + esc(a.before()) + " → " + esc(a.after()));
            }
            out.append(String.join("<br>", attributes)).append("</td><td class=\"n\">")
                    .append(e == null ? "" : e.instances() + (e.batches() == 1 ? " in 1 batch" : " in " + e.batches() + " batches"))
                    .append("</td><td class=\"n\">").append(e == null ? "" : Durations.format(e.durationMillis())).append("</td><td>")
                    .append(e == null ? "" : e.lowestHealthy().toPlainString() + "% to " + e.highestHealthy().toPlainString() + "%")
                    .append("</td>");
            if (outcomes) {
                Timeline.Bar b = bars.get(c.address());
                out.append("<td>").append(b == null ? "" : "<span class=\"status " + cssName(b.status()) + "\">" + esc(b.status())
                        + "</span> in " + Durations.format(b.endMillis() - b.startMillis())).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody></table>\n</section>\n");
    }

    private static void reasons(ResourceChange c, StringBuilder out) {
        List<String> texts = new ArrayList<>();
        for (Reason r : c.reasons()) {
            texts.add(esc(r.toString()));
        }
        out.append(String.join("<br>", texts));
    }

    // ---- the timeline ----

    private static void timelineSections(Timeline timeline, StringBuilder out) {
        out.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
        if (timeline == null || timeline.bars().isEmpty()) {
            out.append("<p>Nothing to do: no step.</p>\n</section>\n");
            return;
        }
        out.append("<p class=\"total\">").append(timeline.bars().size()).append(timeline.bars().size() == 1 ? " step" : " steps")
                .append(", ").append(timeline.parallelism()).append(" at a time: <b>")
                .append(Durations.format(timeline.durationMillis())).append("</b> in all");
        if (!timeline.criticalPath().isEmpty()) {
            out.append(", along the critical path ").append(esc(String.join(" → ",
                    timeline.criticalPath().stream().map(Object::toString).toList())));
        }
        out.append(".</p>\n");
        legend(out);
        Map<Action, List<Timeline.Bar>> groups = new LinkedHashMap<>();
        for (Timeline.Bar b : timeline.bars()) {
            groups.computeIfAbsent(b.action(), a -> new ArrayList<>()).add(b);
        }
        boolean allOpen = timeline.bars().size() <= OPEN_UP_TO;
        groups.forEach((action, bars) -> {
            for (int from = 0; from < bars.size(); from += ROWS_PER_BLOCK) {
                List<Timeline.Bar> block = bars.subList(from, Math.min(bars.size(), from + ROWS_PER_BLOCK));
                boolean open = allOpen || from == 0;
                out.append("<details class=\"group\"").append(open ? " open" : "").append("><summary>").append(groupTitle(action))
                        .append(" (").append(bars.size() <= ROWS_PER_BLOCK ? String.valueOf(bars.size())
                                : (from + 1) + "–" + (from + block.size()) + " of " + bars.size())
                        .append(")</summary>\n");
                gantt(timeline, block, out);
                out.append("</details>\n");
            }
        });
        out.append("</section>\n");
        charts(timeline, out);
    }

    private static String groupTitle(Action action) {
        return switch (action) {
            case BAKE -> "Bakes";
            case CREATE -> "Creates";
            case UPDATE -> "Updates in place";
            case ROLL -> "Rolls";
            case REPLACE -> "Replacements";
            case DESTROY -> "Destroys";
            case RETIRE -> "Retirements";
            case NO_OP -> "Unchanged";
        };
    }

    private static void legend(StringBuilder out) {
        out.append("<p class=\"legend\">");
        for (String a : List.of("bake", "create", "update", "roll", "replace", "destroy", "retire")) {
            out.append("<span class=\"key action ").append(a).append("\">").append(a).append("</span> ");
        }
        out.append("<span class=\"key critical\">critical path</span> <span class=\"key phase-pause\">pause</span> ")
                .append("<span class=\"key phase-verify\">verify</span> <span class=\"key phase-drain\">drain</span> ")
                .append("<span class=\"key phase-rollback\">rollback</span> <span class=\"key fault\">fault</span></p>\n");
    }

    /** One block of the timeline: a time axis over the whole apply, then one row per step. */
    private static void gantt(Timeline timeline, List<Timeline.Bar> bars, StringBuilder out) {
        long total = Math.max(1, timeline.durationMillis());
        int height = AXIS + bars.size() * ROW + 4;
        out.append("<svg class=\"gantt\" viewBox=\"0 0 ").append(GANTT_WIDTH).append(' ').append(height)
                .append("\" width=\"").append(GANTT_WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"timeline\">\n");
        long step = tickStep(total);
        for (long t = 0; t <= total; t += step) {
            double x = ganttX(t, total);
            out.append("<line class=\"tick\" x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS - 4).append("\" x2=\"")
                    .append(fmt(x)).append("\" y2=\"").append(height).append("\"/><text class=\"tick-label\" x=\"").append(fmt(x))
                    .append("\" y=\"").append(AXIS - 8).append("\">").append(t == 0 ? "0" : Durations.format(t)).append("</text>\n");
        }
        int row = 0;
        java.util.Set<dev.imm.model.Address> onPath = timeline.criticalSteps();
        for (Timeline.Bar b : bars) {
            int y = AXIS + row * ROW;
            double x1 = ganttX(b.startMillis(), total);
            double width = Math.max(2, ganttX(b.endMillis(), total) - x1);
            boolean critical = onPath.contains(b.address());
            out.append("<g class=\"step\" data-address=\"").append(esc(b.address().toString())).append("\" data-start-ms=\"")
                    .append(b.startMillis()).append("\" data-end-ms=\"").append(b.endMillis()).append("\">")
                    .append("<text class=\"row-label\" x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 14).append("\">")
                    .append(esc(shorten(b.address().toString(), 38))).append("</text>")
                    .append("<rect class=\"bar ").append(cssName(b.action().spelling())).append(critical ? " critical" : "")
                    .append(" status-").append(cssName(b.status())).append("\" x=\"").append(fmt(x1)).append("\" y=\"")
                    .append(y + 4).append("\" width=\"").append(fmt(width)).append("\" height=\"12\" rx=\"2\"><title>")
                    .append(esc(b.address() + " " + b.action().spelling() + ": T+" + Durations.format(b.startMillis()) + " to T+"
                            + Durations.format(b.endMillis()) + " (" + Durations.format(b.endMillis() - b.startMillis()) + "), "
                            + b.status() + (b.detail().isEmpty() ? "" : ": " + b.detail())
                            + (critical ? "; on the critical path" : "")))
                    .append("</title></rect>");
            for (Timeline.Phase p : b.phases()) {
                double px = ganttX(p.fromMillis(), total);
                if (p.kind().equals("fault")) {
                    out.append("<path class=\"fault\" d=\"M").append(fmt(px)).append(' ').append(y + 1).append("l4 5-4 5-4-5z\"><title>")
                            .append(esc("T+" + Durations.format(p.fromMillis()) + " fault: " + p.label())).append("</title></path>");
                } else {
                    out.append("<rect class=\"phase ").append(cssName(p.kind())).append("\" x=\"").append(fmt(px)).append("\" y=\"")
                            .append(y + 7).append("\" width=\"").append(fmt(Math.max(1, ganttX(p.toMillis(), total) - px)))
                            .append("\" height=\"6\"><title>").append(esc(p.label() + ": T+" + Durations.format(p.fromMillis())
                                    + " to T+" + Durations.format(p.toMillis()))).append("</title></rect>");
                }
            }
            out.append("</g>\n");
            row++;
        }
        out.append("</svg>\n");
    }

    private static double ganttX(long t, long total) {
        return LABEL_WIDTH + (double) GANTT_PLOT * t / total;
    }

    // ---- capacity charts ----

    private static void charts(Timeline timeline, StringBuilder out) {
        List<Timeline.Bar> charted = timeline.charted();
        out.append("<section id=\"capacity\">\n<h2>Healthy capacity</h2>\n");
        if (charted.isEmpty()) {
            out.append(timeline.source() == Timeline.Source.ESTIMATED
                    ? "<p>Capacity over time comes from a rehearsal: run <code>imm plan --rehearse</code> (simulated cloud).</p>\n"
                    : "<p>No fleet rolls.</p>\n");
            out.append("</section>\n");
            return;
        }
        out.append("<p class=\"legend\"><span class=\"key line-healthy\">healthy</span> <span class=\"key line-running\">running</span>"
                + " <span class=\"key line-desired\">desired</span> <span class=\"key line-floor\">min_healthy floor</span>"
                + " <span class=\"key line-ceiling\">max_healthy ceiling</span> <span class=\"key fault\">fault</span>"
                + " <span class=\"key phase-rollback\">rollback</span></p>\n");
        // past a block of charts, fleets whose rolls went alike (same sizes, policy bounds and capacity over
        // their own time) share one chart that names them all
        Map<String, List<Timeline.Bar>> profiles = new LinkedHashMap<>();
        for (Timeline.Bar b : charted) {
            profiles.computeIfAbsent(charted.size() <= CHARTS_PER_BLOCK ? b.address().toString() : profile(b),
                    k -> new ArrayList<>()).add(b);
        }
        List<List<Timeline.Bar>> groups = new ArrayList<>(profiles.values());
        if (groups.size() < charted.size()) {
            out.append("<p>").append(charted.size()).append(" fleets roll; fleets whose rolls went alike share a chart: ")
                    .append(groups.size()).append(groups.size() == 1 ? " chart.</p>\n" : " charts.</p>\n");
        }
        boolean allOpen = groups.size() <= CHARTS_PER_BLOCK;
        for (int from = 0; from < groups.size(); from += CHARTS_PER_BLOCK) {
            List<List<Timeline.Bar>> block = groups.subList(from, Math.min(groups.size(), from + CHARTS_PER_BLOCK));
            out.append("<details class=\"group\"").append(allOpen || from == 0 ? " open" : "").append("><summary>")
                    .append(groups.size() < charted.size() ? "Charts " : "Fleets ")
                    .append(groups.size() <= CHARTS_PER_BLOCK ? "(" + groups.size() + ")"
                            : (from + 1) + "–" + (from + block.size()) + " of " + groups.size())
                    .append("</summary>\n");
            for (List<Timeline.Bar> alike : block) {
                chart(alike.get(0), alike.subList(1, alike.size()), out);
            }
            out.append("</details>\n");
        }
        out.append("</section>\n");
    }

    /** What a roll's chart shows, in its own time: equal for fleets whose charts would be the same. */
    private static String profile(Timeline.Bar b) {
        Timeline.Capacity c = b.capacity();
        StringBuilder key = new StringBuilder().append(b.action()).append('|').append(b.status()).append('|')
                .append(b.endMillis() - b.startMillis()).append('|').append(c.desired()).append('|').append(c.minHealthy())
                .append('|').append(c.maxRunning());
        for (Timeline.Sample s : c.samples()) {
            key.append('|').append(s.atMillis() - b.startMillis()).append(',').append(s.healthy()).append(',').append(s.running());
        }
        for (Timeline.Phase p : b.phases()) {
            key.append('|').append(p.kind()).append(',').append(p.fromMillis() - b.startMillis()).append(',')
                    .append(p.toMillis() - b.startMillis());
        }
        return key.toString();
    }

    /**
     * One fleet's roll: healthy and running instances over its time, against desired, floor and ceiling;
     * with the fleets whose rolls went {@code alike} named beside it.
     */
    private static void chart(Timeline.Bar b, List<Timeline.Bar> alike, StringBuilder out) {
        Timeline.Capacity c = b.capacity();
        long from = b.startMillis();
        long to = Math.max(b.endMillis(), from + 1);
        int top = c.samples().stream().mapToInt(s -> Math.max(s.healthy(), s.running())).max().orElse(0);
        int max = Math.max(1, Math.max(top, Math.max(c.desired(), c.maxRunning())) + 1);
        int plotW = CHART_WIDTH - CHART_LEFT - CHART_RIGHT;
        int plotH = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM;
        java.util.function.LongFunction<Double> x = t -> CHART_LEFT + (double) plotW * (t - from) / (to - from);
        java.util.function.IntFunction<Double> y = v -> CHART_TOP + (double) plotH * (max - v) / max;
        out.append("<figure class=\"chart\" data-address=\"").append(esc(b.address().toString())).append("\" data-desired=\"")
                .append(c.desired()).append("\" data-min-healthy=\"").append(c.minHealthy()).append("\" data-max-running=\"")
                .append(c.maxRunning()).append("\"").append(alike.isEmpty() ? "" : " data-fleets=\"" + (alike.size() + 1) + "\"")
                .append(">\n<figcaption><code>").append(esc(b.address().toString())).append("</code> ")
                .append(alike.isEmpty() ? "" : "and " + alike.size() + (alike.size() == 1 ? " more fleet, " : " more fleets, "))
                .append(esc(b.action().spelling())).append(", <span class=\"status ").append(cssName(b.status())).append("\">")
                .append(esc(b.status())).append("</span> · T+").append(Durations.format(b.startMillis())).append(" to T+")
                .append(Durations.format(b.endMillis())).append(" · desired ").append(c.desired()).append(", at least ")
                .append(c.minHealthy()).append(" healthy, at most ").append(c.maxRunning()).append(" running · lowest healthy ")
                .append(c.samples().stream().mapToInt(Timeline.Sample::healthy).min().orElse(0)).append("</figcaption>\n")
                .append("<svg viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(CHART_HEIGHT).append("\" width=\"")
                .append(CHART_WIDTH).append("\" height=\"").append(CHART_HEIGHT).append("\" role=\"img\" aria-label=\"healthy capacity of ")
                .append(esc(b.address().toString())).append("\">\n");
        double left = CHART_LEFT;
        double right = CHART_LEFT + plotW;
        for (Timeline.Phase p : b.phases()) {
            if (!p.kind().equals("fault")) {
                double px = x.apply(p.fromMillis());
                out.append("<rect class=\"band ").append(cssName(p.kind())).append("\" x=\"").append(fmt(px)).append("\" y=\"")
                        .append(CHART_TOP).append("\" width=\"").append(fmt(Math.max(1, x.apply(p.toMillis()) - px)))
                        .append("\" height=\"").append(plotH).append("\"><title>").append(esc(p.label())).append("</title></rect>\n");
            }
        }
        // the value axis: a gridline per instance count (at most 8 labelled)
        int every = Math.max(1, (max + 7) / 8);
        for (int v = 0; v <= max; v += every) {
            out.append("<line class=\"grid\" data-value=\"").append(v).append("\" x1=\"").append(fmt(left)).append("\" y1=\"").append(fmt(y.apply(v))).append("\" x2=\"")
                    .append(fmt(right)).append("\" y2=\"").append(fmt(y.apply(v))).append("\"/><text class=\"value-label\" x=\"")
                    .append(fmt(left - 6)).append("\" y=\"").append(fmt(y.apply(v) + 4)).append("\">").append(v).append("</text>\n");
        }
        long step = tickStep(to - from);
        for (long t = 0; t <= to - from; t += step) {
            double tx = x.apply(from + t);
            out.append("<text class=\"tick-label\" x=\"").append(fmt(tx)).append("\" y=\"").append(CHART_HEIGHT - 10).append("\">+")
                    .append(t == 0 ? "0" : Durations.format(t)).append("</text>\n");
        }
        out.append("<line class=\"baseline\" data-value=\"0\" x1=\"").append(fmt(left)).append("\" y1=\"").append(fmt(y.apply(0)))
                .append("\" x2=\"").append(fmt(right)).append("\" y2=\"").append(fmt(y.apply(0))).append("\"/>\n");
        out.append("<polyline class=\"running\" points=\"").append(steps(c.samples(), Timeline.Sample::running, x, y, to))
                .append("\"/>\n<polyline class=\"healthy\" points=\"").append(steps(c.samples(), Timeline.Sample::healthy, x, y, to))
                .append("\"/>\n");
        // the bounds on top, so that the floor shows where healthy capacity runs along it; their labels
        // kept apart when the values are close (or equal)
        String[] kinds = {"ceiling", "desired", "floor"};
        int[] values = {c.maxRunning(), c.desired(), c.minHealthy()};
        String[] labels = {"max " + c.maxRunning() + " running", "desired " + c.desired(), "min_healthy " + c.minHealthy()};
        double labelY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < kinds.length; i++) {
            double ly = y.apply(values[i]);
            labelY = Math.max(ly + 4, labelY + 13);
            out.append("<line class=\"").append(kinds[i]).append("\" data-value=\"").append(values[i]).append("\" x1=\"")
                    .append(fmt(left)).append("\" y1=\"").append(fmt(ly)).append("\" x2=\"").append(fmt(right)).append("\" y2=\"")
                    .append(fmt(ly)).append("\"/><text class=\"level-label ").append(kinds[i]).append("\" x=\"").append(fmt(right + 6))
                    .append("\" y=\"").append(fmt(labelY)).append("\">").append(esc(labels[i])).append("</text>\n");
        }
        for (Timeline.Phase p : b.phases()) {
            boolean fault = p.kind().equals("fault");
            if (fault || p.kind().equals("rollback")) {
                double px = x.apply(p.fromMillis());
                out.append("<line class=\"").append(fault ? "fault-mark" : "rollback-mark").append("\" x1=\"").append(fmt(px))
                        .append("\" y1=\"").append(CHART_TOP).append("\" x2=\"").append(fmt(px)).append("\" y2=\"")
                        .append(CHART_TOP + plotH).append("\"><title>").append(esc("T+" + Durations.format(p.fromMillis()) + " "
                                + (fault ? "fault: " : "rollback began: ") + p.label())).append("</title></line>\n");
            }
        }
        out.append("</svg>\n");
        if (!alike.isEmpty()) {
            out.append("<details class=\"alike\"><summary>The ").append(alike.size() + 1).append(" fleets of this chart</summary><p>");
            for (Timeline.Bar other : java.util.stream.Stream.concat(java.util.stream.Stream.of(b), alike.stream()).toList()) {
                out.append("<code>").append(esc(other.address().toString())).append("</code> T+").append(Durations.format(other.startMillis()))
                        .append("; ");
            }
            out.setLength(out.length() - 2);
            out.append("</p></details>\n");
        }
        if (!b.events().isEmpty()) {
            out.append("<details class=\"events\"><summary>").append(b.events().size()).append(b.events().size() == 1 ? " event" : " events")
                    .append(alike.isEmpty() ? "" : " of " + esc(b.address().toString())).append("</summary><ol>\n");
            for (Timeline.Event e : b.events()) {
                out.append("<li><span class=\"at\">T+").append(Durations.format(e.atMillis())).append("</span> ").append(esc(e.message()))
                        .append("</li>\n");
            }
            out.append("</ol></details>\n");
        }
        out.append("</figure>\n");
    }

    /** A step line through the samples: each value holds until the next sample, the last until {@code to}. */
    private static String steps(List<Timeline.Sample> samples, java.util.function.ToIntFunction<Timeline.Sample> value,
                                java.util.function.LongFunction<Double> x, java.util.function.IntFunction<Double> y, long to) {
        StringBuilder points = new StringBuilder();
        Double lastY = null;
        List<String> list = new ArrayList<>();
        java.util.function.BiConsumer<Double, Double> add = (px, py) -> {
            String point = fmt(px) + "," + fmt(py);
            if (list.isEmpty() || !list.get(list.size() - 1).equals(point)) {
                list.add(point);
            }
        };
        for (Timeline.Sample s : samples) {
            double sx = x.apply(s.atMillis());
            double sy = y.apply(value.applyAsInt(s));
            if (lastY != null) {
                add.accept(sx, lastY);
            }
            add.accept(sx, sy);
            lastY = sy;
        }
        if (lastY != null) {
            add.accept(x.apply(to), lastY);
        }
        return String.join(" ", list);
    }

    // ---- helpers ----

    /** A tick interval that gives at most about eight ticks over {@code span}. */
    static long tickStep(long span) {
        long[] steps = {1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
            7_200_000, 14_400_000, 43_200_000, 86_400_000};
        for (long s : steps) {
            if (span / s <= 8) {
                return s;
            }
        }
        return Math.max(1, span / 8);
    }

    /** A coordinate with at most one decimal, the same on every machine. */
    static String fmt(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : (tenths < 0 && tenths > -10 ? "-" : "") + tenths / 10 + "."
                + Math.abs(tenths % 10);
    }

    private static String shorten(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String shortId(String revision) {
        return revision.length() > 12 ? revision.substring(0, 12) : revision;
    }

    /** {@code rolled back} as a CSS class: {@code rolled-back}. */
    private static String cssName(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            :root { --bake: #8250df; --create: #1a7f37; --update: #9a6700; --roll: #0969da; --replace: #bc4c00;
              --destroy: #cf222e; --retire: #6e7781; --critical: #e3b341; --fault: #cf222e; --ink: #1f2328; --muted: #656d76;
              --line: #d0d7de; }
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 24px auto;
              max-width: 1160px; padding: 0 16px; }
            h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line);
              padding-bottom: 4px; }
            code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            .meta, footer { color: var(--muted); } footer { margin: 32px 0 8px; font-size: 12px; }
            .callout { border-left: 4px solid; padding: 6px 10px; background: #f6f8fa; }
            .caution { border-color: var(--destroy); } .warning { border-color: var(--update); }
            table { border-collapse: collapse; margin: 8px 0; } table.changes { width: 100%; }
            td { overflow-wrap: anywhere; } table.changes td:nth-child(3) { min-width: 16em; }
            table.changes td:first-child { white-space: nowrap; overflow-wrap: normal; } th, td { border: 1px solid var(--line); padding: 3px 8px;
              text-align: left; vertical-align: top; } th { background: #f6f8fa; } td.n, th.n { text-align: right; }
            .action, .status { font-weight: 600; } .action.bake { color: var(--bake); } .action.create { color: var(--create); }
            .action.update { color: var(--update); } .action.roll { color: var(--roll); } .action.replace { color: var(--replace); }
            .action.destroy { color: var(--destroy); } .action.retire { color: var(--retire); }
            .status.done, .status.passed, .status.succeeded { color: var(--create); }
            .status.failed, .status.cancelled { color: var(--destroy); }
            .status.rolled-back, .status.paused, .status.flagged, .status.pending { color: var(--update); }
            details.group { margin: 6px 0; } details.group > summary { cursor: pointer; font-weight: 600; padding: 2px 0; }
            details.change { margin: 4px 0; } details.events { font-size: 12.5px; } details.events ol { margin: 4px 0;
              padding-left: 22px; } .at { color: var(--muted); font-variant-numeric: tabular-nums; }
            .legend { font-size: 12.5px; color: var(--muted); } .key { display: inline-block; margin-right: 8px; }
            .key::before { content: ""; display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: -1px;
              background: currentColor; border-radius: 2px; }
            .key.critical::before { background: none; border: 2px solid var(--critical); width: 10px; height: 6px; }
            .key.phase-pause::before { background: #ffffff; border: 1px solid #57606a; }
            .key.phase-verify::before { background: #54aeff; } .key.phase-drain::before { background: #b6e3ff; }
            .key.phase-rollback::before { background: #ff8182; } .key.fault::before { background: var(--fault);
              transform: rotate(45deg) scale(0.7); }
            .key.line-healthy::before { background: var(--create); height: 3px; }
            .key.line-running::before { background: #57606a; height: 2px; }
            .key.line-desired::before { background: var(--ink); height: 1px; }
            .key.line-floor::before { background: var(--destroy); height: 2px; }
            .key.line-ceiling::before { background: var(--update); height: 2px; }
            svg { display: block; max-width: 100%; height: auto; } svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
            .tick { stroke: #eaeef2; } .tick-label { fill: var(--muted); text-anchor: middle; }
            .row-label { text-anchor: end; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; }
            .bar { stroke: none; } .bar.bake { fill: var(--bake); } .bar.create { fill: var(--create); }
            .bar.update { fill: var(--update); } .bar.roll { fill: var(--roll); } .bar.replace { fill: var(--replace); }
            .bar.destroy { fill: var(--destroy); } .bar.retire { fill: var(--retire); }
            .bar.critical { stroke: var(--critical); stroke-width: 2.5; }
            .bar.status-failed, .bar.status-cancelled, .bar.status-skipped { fill-opacity: 0.35; }
            .bar.status-rolled-back, .bar.status-paused { fill-opacity: 0.6; }
            .phase.pause { fill: #ffffff; fill-opacity: 0.85; } .phase.verify { fill: #54aeff; } .phase.drain { fill: #b6e3ff; }
            .phase.rollback { fill: #ff8182; } .fault { fill: var(--fault); stroke: #ffffff; stroke-width: 0.8; }
            figure.chart { margin: 12px 0 18px; } figcaption { font-size: 13px; margin-bottom: 2px; }
            .grid { stroke: #eaeef2; } .value-label { text-anchor: end; fill: var(--muted); }
            .baseline { stroke: #8c959f; } .desired { stroke: var(--ink); stroke-width: 1; }
            .floor { stroke: var(--destroy); stroke-width: 1.5; stroke-dasharray: 6 4; }
            .ceiling { stroke: var(--update); stroke-width: 1.5; stroke-dasharray: 2 3; }
            text.level-label { font-size: 11px; } text.floor { fill: var(--destroy); stroke: none; }
            text.ceiling { fill: var(--update); stroke: none; } text.desired { stroke: none; }
            polyline { fill: none; } polyline.healthy { stroke: var(--create); stroke-width: 2.5; }
            polyline.running { stroke: #57606a; stroke-width: 1.2; stroke-dasharray: 4 3; }
            .band.pause { fill: #f6f8fa; } .band.verify { fill: #ddf4ff; } .band.drain { fill: #eef6ff; }
            .band.rollback { fill: #ffebe9; } .fault-mark { stroke: var(--fault); stroke-width: 1.5; }
            .rollback-mark { stroke: #a40e26; stroke-width: 1.5; stroke-dasharray: 3 2; }
            """;
}
