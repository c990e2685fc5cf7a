package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ResourceGraph;
import dev.imm.render.GraphDotRenderer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Print the dependency graph of the stack's images, components, rollouts and fleets as "
                + "Graphviz DOT: each fleet points at its image and rollout, each image at the image it is "
                + "layered on and at its components, each rollout at the rollout it extends. Nodes and "
                + "edges are sorted.",
        footer = {"", "Examples:", "  imm graph examples/quickstart", "  imm graph examples/showcase -var env=prod | dot -Tsvg > graph.svg"})
final class GraphCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Stack directory (default: current directory).")
    Path dir = Path.of(".");

    @Mixin
    VariableOptions variables = new VariableOptions();

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
