package dev.imm.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.model.Address;
import dev.imm.plan.Plan;
import dev.imm.render.PlanJsonRenderer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A plan saved with {@code plan -out FILE}: the stack directory, the options it was made with, the
 * non-sensitive {@code -var} assignments and var files, and the plan itself (with the state revision and
 * live fingerprint it was computed against). Applying it re-plans and refuses when the state, the cloud
 * or the resulting plan differ. Values of sensitive variables are never written here: give them again.
 */
public record SavedPlan(Path directory, List<String> assignments, List<Path> varFiles, Set<Address> targets,
                        Set<Address> replace, boolean refresh, String planJson) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static SavedPlan of(Path directory, PlanOptions options, Plan plan, Set<String> sensitiveVariables) {
        List<String> assignments = new ArrayList<>();
        for (String a : options.variables().assignments()) {
            int eq = a.indexOf('=');
            if (eq > 0 && !sensitiveVariables.contains(a.substring(0, eq))) {
                assignments.add(a);
            }
        }
        return new SavedPlan(directory, assignments, options.variables().files(), options.targets(), options.replace(),
                options.refresh(), PlanJsonRenderer.render(plan));
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("directory", directory.toString());
        ArrayNode vars = root.putArray("var");
        assignments.forEach(vars::add);
        ArrayNode files = root.putArray("var_files");
        varFiles.forEach(f -> files.add(f.toString()));
        ArrayNode t = root.putArray("target");
        targets.forEach(a -> t.add(a.kind() + " " + a));
        ArrayNode r = root.putArray("replace");
        replace.forEach(a -> r.add(a.kind() + " " + a));
        root.put("refresh", refresh);
        try {
            root.set("plan", JSON.readTree(planJson));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("a rendered plan is JSON", e);
        }
    }

    /** Reads a saved plan; a file that is not one gives an IOException whose message says why. */
    public static SavedPlan read(String text) throws IOException {
        JsonNode root = JSON.readTree(text);
        if (root == null || !root.has("plan") || root.path("format").asInt() != FORMAT) {
            throw new IOException("not a plan saved by imm plan -out (or one of another version)");
        }
        List<String> vars = new ArrayList<>();
        root.path("var").forEach(v -> vars.add(v.asText()));
        List<Path> files = new ArrayList<>();
        root.path("var_files").forEach(v -> files.add(Path.of(v.asText())));
        return new SavedPlan(Path.of(root.path("directory").asText(".")), vars, files, addresses(root.path("target")),
                addresses(root.path("replace")), root.path("refresh").asBoolean(true), PlanJsonRenderer.pretty(root.path("plan")));
    }

    private static Set<Address> addresses(JsonNode list) {
        Set<Address> out = new LinkedHashSet<>();
        list.forEach(n -> {
            String[] kindAndText = n.asText().split(" ", 2);
            out.add(Address.parse(kindAndText[0], kindAndText[1]));
        });
        return out;
    }

    /** The options to plan with again; {@code extra} adds what the apply command line gives (sensitive values). */
    public PlanOptions options(VariableSources extra) {
        List<String> all = new ArrayList<>(assignments);
        all.addAll(extra.assignments());
        List<Path> files = new ArrayList<>(varFiles);
        files.addAll(extra.files());
        return new PlanOptions(new VariableSources(all, files, extra.environment()), targets, replace, refresh);
    }
}
