package dev.imm.render;

import dev.imm.plan.Action;
import dev.imm.plan.Plan;
import java.util.Map;

/** The one-line count every format shows, such as {@code 1 to bake, 1 to roll (4 instances), ...}. */
final class PlanSummary {
    private PlanSummary() {
    }

    static String line(Plan plan) {
        Map<Action, Integer> n = plan.counts();
        StringBuilder s = new StringBuilder();
        s.append(n.get(Action.BAKE)).append(" to bake, ")
                .append(n.get(Action.ROLL)).append(" to roll");
        if (n.get(Action.ROLL) > 0) {
            int instances = plan.instancesReplaced();
            s.append(" (").append(instances).append(instances == 1 ? " instance)" : " instances)");
        }
        s.append(", ").append(n.get(Action.CREATE)).append(" to create, ")
                .append(n.get(Action.UPDATE)).append(" to update, ");
        if (n.get(Action.REPLACE) > 0) {
            s.append(n.get(Action.REPLACE)).append(" to replace, ");
        }
        s.append(n.get(Action.DESTROY)).append(" to destroy");
        if (n.get(Action.RETIRE) > 0) {
            s.append(", ").append(n.get(Action.RETIRE)).append(" to retire");
        }
        return s.append('.').toString();
    }

    /**
     * {@code about 12m30s along the critical path image.app → fleet.web (4 steps at a time)}, or null when
     * the plan has no estimate.
     */
    static String duration(Plan plan) {
        dev.imm.plan.ApplyEstimate e = plan.estimate();
        if (e == null) {
            return null;
        }
        if (e.durationMillis() == 0) {
            return "moments: no step waits for images or instances.";
        }
        return "about " + dev.imm.value.Durations.format(e.durationMillis())
                + (e.criticalPath().isEmpty() ? "" : " along the critical path " + e.pathText())
                + " (" + e.parallelism() + " steps at a time).";
    }
}
