package dev.imm.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.model.Address;
import dev.imm.plan.Action;
import dev.imm.plan.Timeline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Timeline} as JSON, both ways: the {@code "timeline"} of a rehearsed plan (docs/plan-json.md),
 * and {@code applies/<id>/timeline.json} in the state's history, which {@code imm history --format html}
 * reads back. Capacity samples are {@code [at_ms, healthy, running]} triples, to stay small at thousands
 * of fleets.
 */
public final class TimelineJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TimelineJson() {
    }

    public static String render(Timeline timeline) {
        return PlanJsonRenderer.pretty(tree(timeline));
    }

    static ObjectNode tree(Timeline t) {
        ObjectNode root = JSON.createObjectNode();
        root.put("source", t.source().spelling());
        root.put("duration_ms", t.durationMillis());
        root.put("parallelism", t.parallelism());
        ArrayNode path = root.putArray("critical_path");
        t.criticalPath().forEach(a -> path.add(a.toString()));
        ArrayNode steps = root.putArray("steps");
        java.util.Set<dev.imm.model.Address> critical = t.criticalSteps();
        for (Timeline.Bar b : t.bars()) {
            ObjectNode n = steps.addObject();
            n.put("address", b.address().toString());
            n.put("kind", b.address().kind());
            n.put("action", b.action().spelling());
            ArrayNode reasons = n.putArray("reasons");
            b.reasons().forEach(reasons::add);
            n.put("start_ms", b.startMillis());
            n.put("end_ms", b.endMillis());
            n.put("status", b.status());
            n.put("detail", b.detail());
            n.put("critical", critical.contains(b.address()));
            ArrayNode phases = n.putArray("phases");
            for (Timeline.Phase p : b.phases()) {
                ObjectNode pn = phases.addObject();
                pn.put("kind", p.kind());
                pn.put("from_ms", p.fromMillis());
                pn.put("to_ms", p.toMillis());
                pn.put("label", p.label());
            }
            ArrayNode events = n.putArray("events");
            for (Timeline.Event e : b.events()) {
                ObjectNode en = events.addObject();
                en.put("at_ms", e.atMillis());
                en.put("message", e.message());
            }
            if (b.capacity() == null) {
                n.putNull("capacity");
            } else {
                ObjectNode c = n.putObject("capacity");
                c.put("desired", b.capacity().desired());
                c.put("min_healthy", b.capacity().minHealthy());
                c.put("max_running", b.capacity().maxRunning());
                ArrayNode samples = c.putArray("samples");
                for (Timeline.Sample s : b.capacity().samples()) {
                    samples.addArray().add(s.atMillis()).add(s.healthy()).add(s.running());
                }
            }
        }
        return root;
    }

    /** A timeline written by {@link #render}; an IOException says what is wrong with the text. */
    public static Timeline read(String text) throws IOException {
        JsonNode root = JSON.readTree(text);
        try {
            List<Timeline.Bar> bars = new ArrayList<>();
            for (JsonNode n : root.get("steps")) {
                List<String> reasons = new ArrayList<>();
                n.get("reasons").forEach(r -> reasons.add(r.asText()));
                List<Timeline.Phase> phases = new ArrayList<>();
                n.get("phases").forEach(p -> phases.add(new Timeline.Phase(p.get("kind").asText(), p.get("from_ms").asLong(),
                        p.get("to_ms").asLong(), p.get("label").asText())));
                List<Timeline.Event> events = new ArrayList<>();
                n.get("events").forEach(e -> events.add(new Timeline.Event(e.get("at_ms").asLong(), e.get("message").asText())));
                JsonNode c = n.get("capacity");
                Timeline.Capacity capacity = null;
                if (c != null && !c.isNull()) {
                    List<Timeline.Sample> samples = new ArrayList<>();
                    c.get("samples").forEach(s -> samples.add(new Timeline.Sample(s.get(0).asLong(), s.get(1).asInt(), s.get(2).asInt())));
                    capacity = new Timeline.Capacity(c.get("desired").asInt(), c.get("min_healthy").asInt(),
                            c.get("max_running").asInt(), samples);
                }
                Action action = Action.valueOf(n.get("action").asText().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
                bars.add(new Timeline.Bar(Address.parse(n.get("kind").asText(), n.get("address").asText()), action, reasons,
                        n.get("start_ms").asLong(), n.get("end_ms").asLong(), n.get("status").asText(), n.get("detail").asText(),
                        phases, events, capacity));
            }
            java.util.Map<String, Address> byText = new java.util.HashMap<>();
            bars.forEach(b -> byText.put(b.address().toString(), b.address()));
            List<Address> path = new ArrayList<>();
            for (JsonNode a : root.get("critical_path")) {
                Address address = byText.get(a.asText());
                if (address == null) {
                    throw new IllegalArgumentException("the critical path names " + a.asText() + ", which is no step");
                }
                path.add(address);
            }
            return new Timeline(Timeline.Source.of(root.get("source").asText()), root.get("duration_ms").asLong(),
                    root.get("parallelism").asInt(), path, bars);
        } catch (RuntimeException e) {
            throw new IOException("not a timeline imm wrote: " + e.getMessage(), e);
        }
    }
}
