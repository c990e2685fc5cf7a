package dev.imm.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.plan.Action;
import dev.imm.plan.AttributeChange;
import dev.imm.plan.Plan;
import dev.imm.plan.Reason;
import dev.imm.plan.ResourceChange;
import dev.imm.plan.RollEstimate;
import java.util.Map;

/**
 * A plan as versioned JSON for machines (docs/plan-json.md): fields in a fixed order, two-space
 * indentation, a trailing newline; byte-identical for equal plans.
 */
public final class PlanJsonRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanJsonRenderer() {
    }

    public static String render(Plan plan) {
        return pretty(tree(plan));
    }

    /**
     * The plan with {@code timeline} (a rehearsal's, or the plan's estimate laid out) as its last field,
     * {@code "timeline"} (docs/plan-json.md).
     */
    public static String render(Plan plan, dev.imm.plan.Timeline timeline) {
        ObjectNode root = tree(plan);
        if (timeline != null) {
            root.set("timeline", TimelineJson.tree(timeline));
        }
        return pretty(root);
    }

    private static ObjectNode tree(Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", Plan.FORMAT_VERSION);
        root.put("stack", plan.stack());
        if (!plan.cloud().isEmpty()) {
            root.put("cloud", plan.cloud());
        }
        if (plan.stateRevision() == null) {
            root.putNull("state_revision");
        } else {
            root.put("state_revision", plan.stateRevision());
        }
        root.put("live_fingerprint", plan.liveFingerprint());
        root.put("has_changes", plan.hasChanges());
        ObjectNode summary = root.putObject("summary");
        for (Map.Entry<Action, Integer> e : plan.counts().entrySet()) {
            summary.put(e.getKey().spelling(), e.getValue());
        }
        summary.put("instances_replaced", plan.instancesReplaced());
        if (plan.estimate() != null) {
            ObjectNode estimate = root.putObject("estimate");
            estimate.put("duration_ms", plan.estimate().durationMillis());
            estimate.put("parallelism", plan.estimate().parallelism());
            ArrayNode path = estimate.putArray("critical_path");
            plan.estimate().criticalPath().forEach(a -> path.add(a.toString()));
        }
        ArrayNode changes = root.putArray("changes");
        for (ResourceChange c : plan.changes()) {
            ObjectNode n = changes.addObject();
            n.put("address", c.address().toString());
            n.put("action", c.action().spelling());
            n.put("drift", c.drift());
            ArrayNode reasons = n.putArray("reasons");
            for (Reason r : c.reasons()) {
                ObjectNode rn = reasons.addObject();
                rn.put("code", r.code());
                rn.put("path", r.path());
                rn.put("before", r.before());
                rn.put("after", r.after());
            }
            ArrayNode attributes = n.putArray("attributes");
            for (AttributeChange a : c.attributes()) {
                ObjectNode an = attributes.addObject();
                an.put("name", a.name());
                an.put("before", a.before());
                an.put("after", a.after());
            }
            RollEstimate e = c.estimate();
            if (e == null) {
                n.putNull("estimate");
            } else {
                ObjectNode en = n.putObject("estimate");
                en.put("instances", e.instances());
                en.put("batches", e.batches());
                en.put("duration_ms", e.durationMillis());
                en.put("lowest_healthy_percent", e.lowestHealthy());
                en.put("highest_healthy_percent", e.highestHealthy());
            }
        }
        ArrayNode blockers = root.putArray("blockers");
        plan.blockers().forEach(blockers::add);
        if (!plan.checks().isEmpty()) {
            ArrayNode checks = root.putArray("checks");
            for (var c : plan.checks()) {
                ObjectNode check = checks.addObject();
                check.put("image", c.image().toString());
                check.put("image_id", c.imageId());
                check.put("check", c.check());
                check.put("verdict", c.verdict().label());
                check.put("detail", c.detail());
            }
        }
        return root;
    }

    /** JSON in the layout of rendered plans (a saved plan's embedded plan is compared in it). */
    public static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return JSON.writer(printer).with(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                    .writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
