package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imm.model.Address;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GraphDotRendererTest {
    @Test
    void nodesByKindThenEdgesWithQuotedIds() {
        Address fleet = Address.of("fleet", "worker").withKey("eu");
        Address image = Address.of("image", "app");
        Address base = Address.of("image", "base");
        Address component = new Address("base", "component", "time_sync", null);
        SortedSet<Address> nodes = new TreeSet<>(java.util.List.of(fleet, image, base, component));
        SortedMap<Address, SortedSet<Address>> edges = new TreeMap<>();
        edges.put(fleet, new TreeSet<>(java.util.List.of(image)));
        edges.put(image, new TreeSet<>(java.util.List.of(base, component)));
        assertEquals(String.join("\n",
                "digraph \"shop\" {",
                "  rankdir=LR;",
                "  node [fontname=\"Helvetica\"];",
                "",
                "  \"fleet.worker[\\\"eu\\\"]\" [shape=ellipse];",
                "  \"image.app\" [shape=box];",
                "  \"image.base\" [shape=box];",
                "  \"base.time_sync\" [shape=note];",
                "",
                "  \"fleet.worker[\\\"eu\\\"]\" -> \"image.app\";",
                "  \"image.app\" -> \"image.base\";",
                "  \"image.app\" -> \"base.time_sync\";",
                "}",
                ""), GraphDotRenderer.render("shop", nodes, edges));
    }
}
