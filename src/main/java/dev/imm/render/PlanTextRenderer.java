package dev.imm.render;

import dev.imm.plan.Action;
import dev.imm.plan.AttributeChange;
import dev.imm.plan.Plan;
import dev.imm.model.PolicyCheck;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.plan.RollEstimate;
import dev.imm.value.Durations;

/**
 * A plan for a terminal, in the manner of {@code terraform plan}: a legend of symbols, one block per
 * change with its reasons, attribute changes and roll estimate, then the summary line. Colour only when
 * asked (on a terminal). Pure: the same plan gives the same text.
 */
public final class PlanTextRenderer {
    private static final String RESET = "\u001b[0m";
    private final boolean color;

    public PlanTextRenderer(boolean color) {
        this.color = color;
    }

    public String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        if (!plan.cloud().isEmpty()) {
            out.append("Cloud: ").append(plan.cloud()).append("\n\n");
        }
        if (!plan.hasChanges()) {
            out.append("No changes. The cloud matches the stack.\n");
            if (!plan.checks().isEmpty()) {
                out.append('\n');
            }
            checks(plan, out);
            blockers(plan, out);
            return out.toString();
        }
        out.append("imm will perform these actions (legend: ")
                .append(paint("32", "+")).append(" create, ")
                .append(paint("36", "*")).append(" bake, ")
                .append(paint("33", "~")).append(" update, ")
                .append(paint("35", "<>")).append(" roll, ")
                .append(paint("31", "-")).append(" destroy, ")
                .append(paint("90", "x")).append(" retire):\n\n");
        for (ResourceChange c : plan.changes()) {
            if (c.action() == Action.NO_OP) {
                continue;
            }
            change(c, out);
        }
        checks(plan, out);
        blockers(plan, out);
        out.append("Plan: ").append(PlanSummary.line(plan)).append('\n');
        String duration = PlanSummary.duration(plan);
        if (duration != null) {
            out.append("Apply time: ").append(duration).append('\n');
        }
        return out.toString();
    }

    private void change(ResourceChange c, StringBuilder out) {
        out.append("  ").append(symbol(c.action())).append(' ').append(c.address()).append(' ').append(verb(c));
        if (c.drift()) {
            out.append(" (drift)");
        }
        out.append('\n');
        for (Reason r : c.reasons()) {
            out.append("      because ").append(r).append('\n');
        }
        int width = 0;
        for (AttributeChange a : c.attributes()) {
            width = Math.max(width, a.name().length());
        }
        for (AttributeChange a : c.attributes()) {
            out.append("      ").append(a.name()).append(" ".repeat(width - a.name().length())).append(" = ");
            if (a.before().isEmpty()) {
                out.append(a.after());
            } else if (a.after().isEmpty()) {
                out.append(a.before()).append(" -> (none)");
            } else {
                out.append(a.before()).append(" -> ").append(a.after());
            }
            out.append('\n');
        }
        RollEstimate e = c.estimate();
        if (e != null) {
            out.append("      replaces ").append(e.instances()).append(e.instances() == 1 ? " instance" : " instances")
                    .append(" in ").append(e.batches()).append(e.batches() == 1 ? " batch" : " batches")
                    .append(", about ").append(Durations.format(e.durationMillis()))
                    .append("; healthy capacity stays between ").append(e.lowestHealthy().toPlainString()).append("% and ")
                    .append(e.highestHealthy().toPlainString()).append("% of desired\n");
        }
        out.append('\n');
    }

    /** The images' policy checks, one line each, columns aligned. */
    private void checks(Plan plan, StringBuilder out) {
        if (plan.checks().isEmpty()) {
            return;
        }
        int image = 0;
        int check = 0;
        for (PolicyCheck c : plan.checks()) {
            image = Math.max(image, c.image().toString().length());
            check = Math.max(check, c.check().length());
        }
        out.append("Policy checks:\n");
        for (PolicyCheck c : plan.checks()) {
            String verdict = c.verdict().label();
            String painted = switch (c.verdict()) {
                case PASSED -> paint("32", verdict);
                case FAILED -> paint("31", verdict);
                case FLAGGED -> paint("33", verdict);
                default -> paint("90", verdict);
            };
            out.append("  ").append(c.image()).append(" ".repeat(image - c.image().toString().length() + 2))
                    .append(c.check()).append(" ".repeat(check - c.check().length() + 2))
                    .append(painted).append(" ".repeat(9 - verdict.length())).append(c.detail()).append('\n');
        }
        out.append('\n');
    }

    private void blockers(Plan plan, StringBuilder out) {
        for (String b : plan.blockers()) {
            out.append(paint("31", "error:")).append(' ').append(b).append('\n');
        }
        if (!plan.blockers().isEmpty()) {
            out.append('\n');
        }
    }

    static String verb(ResourceChange c) {
        switch (c.action()) {
            case BAKE: return "will be baked";
            case CREATE: return "will be created";
            case UPDATE: return "will be updated in place";
            case ROLL: return "will roll";
            case REPLACE: return "will be replaced";
            case DESTROY: return "will be destroyed";
            case RETIRE: return "has a version to retire";
            default: return "is up to date";
        }
    }

    private String symbol(Action a) {
        switch (a) {
            case BAKE: return paint("36", "*");
            case CREATE: return paint("32", "+");
            case UPDATE: return paint("33", "~");
            case ROLL: return paint("35", "<>");
            case REPLACE: return paint("35", "-/+");
            case DESTROY: return paint("31", "-");
            case RETIRE: return paint("90", "x");
            default: return " ";
        }
    }

    private String paint(String code, String text) {
        return color ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
