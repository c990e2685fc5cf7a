package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ResourceGraph;
import dev.imm.render.GraphDotRenderer;
import java.nio.file.Path;

final class GraphCommand extends Verb {
    Path dir = Path.of(".");
    final VariableOptions variables = new VariableOptions();

    GraphCommand(Main main) {
        super(main, "graph", Model.lines("Print the dependency graph of the stack's images, components, rollouts and fleets as "
                + "Graphviz DOT: each fleet points at its image and rollout, each image at the image it is "
                + "layered on and at its components, each rollout at the rollout it extends. Nodes and "
                + "edges are sorted."),
                "", "Examples:", "  imm graph examples/quickstart", "  imm graph examples/showcase -var env=prod | dot -Tsvg > graph.svg");
        spec.addPositional(Model.stackDirectory(() -> dir, v -> dir = v));
        variables.addTo(spec);
    }

    @Override
    public Integer call() {
        ResourceGraph graph = ResourceGraph.read(dir, variables.sources(main.env));
        main.err.print(new DiagnosticRenderer(graph.sources()::get, main.color()).render(graph.diagnostics()));
        if (graph.hasErrors()) {
            return ExitCode.ERRORS;
        }
        main.out.print(GraphDotRenderer.render(graph.stack(), graph.nodes(), graph.edges()));
        return ExitCode.OK;
    }
}
