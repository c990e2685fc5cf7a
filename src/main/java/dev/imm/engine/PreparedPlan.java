package dev.imm.engine;

import dev.imm.plan.Plan;

/** A plan together with the opened stack it was made for, ready to be shown and then applied. */
public final class PreparedPlan {
    final Planner planner;
    private final PlanResult result;

    PreparedPlan(Planner planner, PlanResult result) {
        this.planner = planner;
        this.result = result;
    }

    public PlanResult result() {
        return result;
    }

    public Plan plan() {
        return result.plan();
    }
}
