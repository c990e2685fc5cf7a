package dev.imm.render;

import dev.imm.plan.Action;
import dev.imm.plan.AttributeChange;
import dev.imm.plan.Plan;
import dev.imm.model.PolicyCheck;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.plan.RollEstimate;
import dev.imm.value.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plan for a pull-request comment: blockers and destroys called out first, a summary table, then
 * the details of each change in a collapsible block. The comment stays under GitHub's 65,536-character
 * limit: details are dropped from the end, never the summary, with a note saying how to see them all.
 */
public final class PlanMarkdownRenderer {
    /** GitHub's comment limit is 65,536 characters; this leaves room for a marker and a footer. */
    public static final int LIMIT = 65_000;

    private PlanMarkdownRenderer() {
    }

    /**
     * The comment for a plan that could not be made: its errors (a failed check, a mistake in the stack)
     * called out, in the compiler shape, so that the pull request shows why.
     */
    public static String renderFailure(String stack, String renderedDiagnostics) {
        String text = renderedDiagnostics.length() > LIMIT - 400
                ? renderedDiagnostics.substring(0, LIMIT - 400) + "\n… (cut to fit a comment; run `imm plan` for all of it)\n"
                : renderedDiagnostics;
        return "### imm plan: " + stack + "\n\n> [!CAUTION]\n> The plan could not be made: the stack has errors"
                + " (a failed check is one).\n\n```\n" + text.replace("```", "` ` `") + "```\n";
    }

    /** Like {@link #render(Plan)}, with warnings (checks of severity "warning" that failed) called out first. */
    public static String render(Plan plan, String renderedWarnings) {
        String body = render(plan);
        if (renderedWarnings.isEmpty()) {
            return body;
        }
        int afterTitle = body.indexOf("\n\n") + 2;
        return body.substring(0, afterTitle) + "> [!WARNING]\n> Warnings:\n\n```\n" + renderedWarnings.replace("```", "` ` `")
                + "```\n\n" + body.substring(afterTitle);
    }

    /**
     * {@code markdown} (a rendered plan or failure) with a line under its title that links to the HTML
     * report at {@code url}: its timeline and capacity charts.
     */
    public static String withReportLink(String markdown, String url) {
        int afterTitle = markdown.indexOf("\n\n") + 2;
        String link = "📊 [Timeline and capacity charts](" + url.replace(")", "%29").replace(" ", "%20") + ") (HTML report)\n\n";
        return markdown.substring(0, afterTitle) + link + markdown.substring(afterTitle);
    }

    /** The images' policy checks as a table (the scanner's summary included), when there are any. */
    private static void checks(Plan plan, StringBuilder out) {
        if (plan.checks().isEmpty()) {
            return;
        }
        out.append("**Policy checks**\n\n| image | check | verdict | detail |\n|---|---|---|---|\n");
        for (PolicyCheck c : plan.checks()) {
            String mark = switch (c.verdict()) {
                case PASSED -> "✅ passed";
                case FAILED -> "❌ failed";
                case FLAGGED -> "⚠️ flagged";
                default -> "⏳ pending";
            };
            out.append("| `").append(c.image()).append("` | ").append(c.check()).append(" | ").append(mark).append(" | ")
                    .append(escape(c.detail()).replace("|", "\\|")).append(" |\n");
        }
        out.append('\n');
    }

    public static String render(Plan plan) {
        StringBuilder head = new StringBuilder("### imm plan: ").append(plan.stack()).append("\n\n");
        if (!plan.cloud().isEmpty()) {
            head.append("Cloud: ").append(plan.cloud()).append("\n\n");
        }
        if (!plan.hasChanges() && plan.blockers().isEmpty()) {
            head.append("No changes. The cloud matches the stack.\n");
            checks(plan, head.append(plan.checks().isEmpty() ? "" : "\n"));
            return head.toString();
        }
        for (String b : plan.blockers()) {
            head.append("> [!CAUTION]\n> ").append(escape(b)).append("\n\n");
        }
        List<ResourceChange> destroys = plan.changes().stream().filter(c -> c.action() == Action.DESTROY).collect(Collectors.toList());
        if (!destroys.isEmpty()) {
            head.append("> [!WARNING]\n> This plan destroys ").append(destroys.stream().map(c -> "`" + c.address() + "`")
                    .collect(Collectors.joining(", "))).append(".\n\n");
        }
        head.append("**Plan:** ").append(PlanSummary.line(plan)).append("\n\n");
        String duration = PlanSummary.duration(plan);
        if (duration != null) {
            head.append("**Apply time:** ").append(duration).append("\n\n");
        }
        checks(plan, head);
        head.append("| address | action | reason | instances | duration |\n|---|---|---|---:|---:|\n");
        List<String> rows = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (c.action() == Action.NO_OP) {
                continue;
            }
            RollEstimate e = c.estimate();
            rows.add("| `" + c.address() + "` | " + c.action().spelling() + (c.drift() ? " (drift)" : "")
                    + " | " + escape(c.reasons().isEmpty() ? "" : c.reasons().get(0).toString())
                    + (c.reasons().size() > 1 ? " (+" + (c.reasons().size() - 1) + ")" : "")
                    + " | " + (e == null ? "" : String.valueOf(e.instances()))
                    + " | " + (e == null ? "" : Durations.format(e.durationMillis())) + " |\n");
        }
        // the summary always stays whole: when one row per change cannot fit, changes are grouped by
        // action and reason, with counts and a few of their addresses; details give way first
        int rowsLength = rows.stream().mapToInt(String::length).sum();
        if (head.length() + rowsLength + 2_000 <= LIMIT) {
            rows.forEach(head::append);
        } else {
            head.setLength(head.lastIndexOf("| address | action |"));
            head.append(grouped(plan));
        }
        head.append('\n');
        List<String> details = new ArrayList<>();
        for (ResourceChange c : plan.changes()) {
            if (c.action() != Action.NO_OP) {
                details.add(details(c));
            }
        }
        StringBuilder out = new StringBuilder(head);
        int shown = 0;
        String note = "\n_Details of %d more changes were left out to fit a comment; run `imm plan` to see them all._\n";
        for (String d : details) {
            if (out.length() + d.length() + note.length() + 16 > LIMIT) {
                break;
            }
            out.append(d);
            shown++;
        }
        if (shown < details.size()) {
            out.append(String.format(note, details.size() - shown));
        }
        return out.toString();
    }

    /** One row per action and reason code: how many changes, instances replaced, and some addresses. */
    private static String grouped(Plan plan) {
        java.util.Map<String, List<ResourceChange>> groups = new java.util.TreeMap<>();
        for (ResourceChange c : plan.changes()) {
            if (c.action() != Action.NO_OP) {
                String code = c.reasons().isEmpty() ? "" : c.reasons().get(0).code();
                groups.computeIfAbsent(c.action().spelling() + (c.drift() ? " (drift)" : "") + "\u0000" + code,
                        k -> new ArrayList<>()).add(c);
            }
        }
        StringBuilder t = new StringBuilder("| action | reason | changes | instances | for example |\n|---|---|---:|---:|---|\n");
        groups.forEach((key, changes) -> {
            String[] parts = key.split("\u0000", 2);
            int instances = changes.stream().filter(c -> c.estimate() != null).mapToInt(c -> c.estimate().instances()).sum();
            List<String> examples = new ArrayList<>();
            changes.stream().limit(3).forEach(c -> examples.add("`" + c.address() + "`"));
            t.append("| ").append(parts[0]).append(" | ").append(escape(parts[1])).append(" | ").append(changes.size())
                    .append(" | ").append(instances == 0 ? "" : String.valueOf(instances)).append(" | ")
                    .append(String.join(", ", examples)).append(changes.size() > 3 ? ", …" : "").append(" |\n");
        });
        return t.append("\n_Too many changes for one row each: grouped by action and reason; run `imm plan` for the full list._\n")
                .toString();
    }

    private static String details(ResourceChange c) {
        StringBuilder d = new StringBuilder("<details><summary><code>").append(c.address()).append("</code> ")
                .append(PlanTextRenderer.verb(c)).append(c.drift() ? " (drift)" : "").append("</summary>\n\n");
        for (Reason r : c.reasons()) {
            d.append("- because ").append(escape(r.toString())).append('\n');
        }
        if (!c.attributes().isEmpty()) {
            d.append("\n| attribute | before | after |\n|---|---|---|\n");
            for (AttributeChange a : c.attributes()) {
                d.append("| ").append(a.name()).append(" | ").append(escape(a.before())).append(" | ").append(escape(a.after())).append(" |\n");
            }
        }
        RollEstimate e = c.estimate();
        if (e != null) {
            d.append("\nReplaces ").append(plural(e.instances(), "instance")).append(" in ").append(plural(e.batches(), "batch"))
                    .append(", about ")
                    .append(Durations.format(e.durationMillis())).append("; healthy capacity between ")
                    .append(e.lowestHealthy().toPlainString()).append("% and ").append(e.highestHealthy().toPlainString()).append("%.\n");
        }
        return d.append("\n</details>\n").toString();
    }

    private static String plural(int n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("ch") ? noun + "es" : noun + "s");
    }

    /** Text that Markdown shows as written: table bars, HTML and emphasis characters escaped. */
    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '|': case '*': case '_': case '`': case '[': case ']': case '\\':
                    out.append('\\').append(c);
                    break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '\n': out.append(' '); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
