package dev.imm.render;

import dev.imm.model.Address;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * A dependency graph as Graphviz DOT ({@code imm graph}): one node per address, shaped by kind (images
 * as boxes, components as notes, rollouts as hexagons, fleets as ellipses), then one edge per dependency,
 * from the dependent to what it depends on. Nodes and edges come in the order given (sorted by the
 * caller), so the same graph gives the same text.
 *
 * <pre>
 * digraph "quickstart" {
 *   "fleet.web" [shape=ellipse];
 *   "image.web" [shape=box];
 *
 *   "fleet.web" -> "image.web";
 * }
 * </pre>
 */
public final class GraphDotRenderer {
    private GraphDotRenderer() {
    }

    public static String render(String name, SortedSet<Address> nodes, SortedMap<Address, SortedSet<Address>> edges) {
        StringBuilder out = new StringBuilder();
        out.append("digraph ").append(id(name)).append(" {\n");
        out.append("  rankdir=LR;\n");
        out.append("  node [fontname=\"Helvetica\"];\n");
        if (!nodes.isEmpty()) {
            out.append('\n');
        }
        for (Address node : nodes) {
            out.append("  ").append(id(node.toString())).append(" [shape=").append(shape(node.kind())).append("];\n");
        }
        if (edges.values().stream().anyMatch(to -> !to.isEmpty())) {
            out.append('\n');
        }
        for (Map.Entry<Address, SortedSet<Address>> e : edges.entrySet()) {
            for (Address to : e.getValue()) {
                out.append("  ").append(id(e.getKey().toString())).append(" -> ").append(id(to.toString())).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String shape(String kind) {
        switch (kind) {
            case "image": return "box";
            case "component": return "note";
            case "rollout": return "hexagon";
            default: return "ellipse";
        }
    }

    /** A DOT quoted id: {@code "fleet.worker[\"eu\"]"}. */
    private static String id(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
