package dev.imm.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Says which bake input changed between two canonical encodings (docs/bake-hash.md): the source, a build
 * setting, an input tag, or a step (added, removed, or changed: its script, file content, destination,
 * inline commands or environment). Environment values are never quoted: they may be secrets.
 */
final class BakeInputsDiff {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BakeInputsDiff() {
    }

    static List<Reason> reasons(String before, String after) {
        List<Reason> reasons = new ArrayList<>();
        JsonNode a;
        JsonNode b;
        try {
            a = JSON.readTree(before);
            b = JSON.readTree(after);
        } catch (IOException unreadable) {
            reasons.add(Reason.of("inputs-changed", ""));
            return reasons;
        }
        if (!a.path("source").equals(b.path("source"))) {
            reasons.add(new Reason("source-changed", "source", a.path("source").asText(), b.path("source").asText()));
        }
        if (dev.imm.model.BakeInputs.CONTAINER_FORMAT.equals(b.path("format").asText())) {
            containerReasons(a, b, reasons);
            if (reasons.isEmpty()) {
                reasons.add(Reason.of("inputs-changed", ""));
            }
            return reasons;
        }
        for (Iterator<String> it = b.path("build").fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!a.path("build").path(field).equals(b.path("build").path(field))) {
                reasons.add(new Reason("build-changed", "build." + field, a.path("build").path(field).asText(),
                        b.path("build").path(field).asText()));
            }
        }
        if (!a.path("input_tags").equals(b.path("input_tags"))) {
            reasons.add(Reason.of("input-tags-changed", "input_tags"));
        }
        JsonNode stepsA = a.path("steps");
        JsonNode stepsB = b.path("steps");
        int n = Math.max(stepsA.size(), stepsB.size());
        for (int i = 0; i < n; i++) {
            String path = "step " + (i + 1);
            if (i >= stepsA.size()) {
                reasons.add(Reason.of("step-added", path));
            } else if (i >= stepsB.size()) {
                reasons.add(Reason.of("step-removed", path));
            } else if (!stepsA.get(i).equals(stepsB.get(i))) {
                reasons.add(stepReason(path, stepsA.get(i), stepsB.get(i)));
            }
        }
        if (reasons.isEmpty()) {
            reasons.add(Reason.of("inputs-changed", ""));
        }
        return reasons;
    }

    /**
     * What changed in a container image's inputs: a layer added or removed, a file (by its path in the
     * image) added, removed or changed in content, mode or owner, a configuration field, or where it is pushed.
     */
    private static void containerReasons(JsonNode a, JsonNode b, List<Reason> reasons) {
        JsonNode layersA = a.path("layers");
        JsonNode layersB = b.path("layers");
        for (int i = 0; i < Math.max(layersA.size(), layersB.size()); i++) {
            String name = "layer \"" + (i < layersB.size() ? layersB.get(i) : layersA.get(i)).path("name").asText() + "\"";
            if (i >= layersA.size()) {
                reasons.add(Reason.of("layer-added", name));
            } else if (i >= layersB.size()) {
                reasons.add(Reason.of("layer-removed", name));
            } else if (!layersA.get(i).equals(layersB.get(i))) {
                fileReasons(layersA.get(i).path("files"), layersB.get(i).path("files"), reasons);
            }
        }
        for (Iterator<String> it = b.path("config").fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!a.path("config").path(field).equals(b.path("config").path(field))) {
                reasons.add(new Reason("config-changed", field, shortText(a.path("config").path(field)),
                        shortText(b.path("config").path(field))));
            }
        }
        if (!a.path("push_to").equals(b.path("push_to"))) {
            reasons.add(new Reason("push-to-changed", "push_to", a.path("push_to").asText(), b.path("push_to").asText()));
        }
    }

    private static void fileReasons(JsonNode before, JsonNode after, List<Reason> reasons) {
        java.util.Map<String, JsonNode> old = new java.util.LinkedHashMap<>();
        before.forEach(f -> old.put(f.path("target").asText(), f));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode f : after) {
            String target = f.path("target").asText();
            seen.add(target);
            JsonNode was = old.get(target);
            if (was == null) {
                reasons.add(Reason.of("file-added", target));
            } else if (!was.path("content_sha256").equals(f.path("content_sha256"))) {
                reasons.add(new Reason("file-changed", target, shortHash(was.path("content_sha256")), shortHash(f.path("content_sha256"))));
            } else if (!was.equals(f)) {
                reasons.add(new Reason("mode-changed", target, was.path("mode").asText() + " " + was.path("owner").asText(),
                        f.path("mode").asText() + " " + f.path("owner").asText()));
            }
        }
        old.keySet().stream().filter(t -> !seen.contains(t)).forEach(t -> reasons.add(Reason.of("file-removed", t)));
    }

    private static String shortText(JsonNode node) {
        String text = node.isTextual() ? node.asText() : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static Reason stepReason(String path, JsonNode a, JsonNode b) {
        if (!a.path("kind").equals(b.path("kind"))) {
            return new Reason("step-changed", path, a.path("kind").asText(), b.path("kind").asText());
        }
        if (!a.path("script_sha256").equals(b.path("script_sha256"))) {
            return new Reason("script-changed", path, shortHash(a.path("script_sha256")), shortHash(b.path("script_sha256")));
        }
        if (!a.path("content_sha256").equals(b.path("content_sha256"))) {
            return new Reason("file-changed", path, shortHash(a.path("content_sha256")), shortHash(b.path("content_sha256")));
        }
        if (!a.path("destination").equals(b.path("destination"))) {
            return new Reason("destination-changed", path, a.path("destination").asText(), b.path("destination").asText());
        }
        if (!a.path("inline").equals(b.path("inline"))) {
            return new Reason("commands-changed", path, "", "");
        }
        return Reason.of("env-changed", path);
    }

    private static String shortHash(JsonNode node) {
        String text = node.asText();
        return text.length() > 12 ? text.substring(0, 12) : text;
    }
}
