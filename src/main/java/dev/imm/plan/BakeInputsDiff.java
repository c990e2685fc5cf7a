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
