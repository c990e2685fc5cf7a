package dev.imm.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.diag.Diagnostics;
import dev.imm.model.BakeInputs;
import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import dev.imm.testing.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Language snippets of the evaluator: each {@code .imm} is evaluated as a stack of its own, and its
 * {@link EvaluationDump} is compared with the {@code .out} beside it (warnings follow the dump), or its
 * diagnostics with the {@code .err}. Inputs in {@code errors/semantic/} or named {@code errors_*} must
 * give errors, the others must not. A {@code NAME.vars} file beside an input gives -var lines.
 */
class EvalSnippetTest {
    static final Path ROOT = Path.of("src/test/resources/snippets");
    static final List<String> DIRS = List.of("eval", "types", "functions", "stdlib", "errors/semantic");

    /** Resolves name filters and parameters to stable made-up ids, so bake hashes are known in snippets. */
    static final SourceResolver TEST_RESOLVER = source -> {
        String key = source instanceof SourceSpec.ByFilter f ? f.nameFilter() + f.owners()
                : source instanceof SourceSpec.BySsmParameter p ? p.parameter() : null;
        return key == null ? Optional.empty() : Optional.of("ami-" + BakeInputs.sha256(key).substring(0, 17));
    };

    static List<Path> inputs(String dir) throws IOException {
        Path base = ROOT.resolve(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(base)) {
            return files.filter(p -> p.toString().endsWith(".imm")).sorted().collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicTest> snippets() throws IOException {
        Stream<Path> all = Stream.empty();
        for (String dir : DIRS) {
            all = Stream.concat(all, inputs(dir).stream());
        }
        return all.map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> check(file)));
    }

    static Map<String, VariableInput> vars(Path file) throws IOException {
        Path vars = sibling(file, ".vars");
        Map<String, VariableInput> inputs = new LinkedHashMap<>();
        if (Files.exists(vars)) {
            for (String line : Files.readAllLines(vars)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    String name = line.substring(0, eq).strip();
                    inputs.put(name, VariableInput.text(name, line.substring(eq + 1), "-var " + name));
                }
            }
        }
        return inputs;
    }

    private static void check(Path file) throws IOException {
        String display = ROOT.relativize(file).toString().replace('\\', '/');
        Diagnostics diagnostics = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(diagnostics);
        Module module = loader.loadFile(file, display);
        Evaluation evaluation = StackEvaluator.evaluate(module,
                new StackEvaluator.Options(vars(file), false, TEST_RESOLVER), diagnostics);
        boolean mustFail = display.startsWith("errors/") || file.getFileName().toString().startsWith("errors_");
        DiagnosticRenderer renderer = new DiagnosticRenderer(loader.sources()::get, false);
        String rendered = renderer.render(diagnostics.sorted());
        if (mustFail) {
            assertTrue(diagnostics.hasErrors(), "this input must give errors");
        } else {
            assertFalse(diagnostics.hasErrors(), () -> "unexpected errors:\n" + rendered);
        }
        if (diagnostics.hasErrors()) {
            Snapshots.assertAbsent(sibling(file, ".out"));
            Snapshots.assertMatches(sibling(file, ".err"), rendered);
        } else {
            Snapshots.assertAbsent(sibling(file, ".err"));
            String dump = EvaluationDump.of(evaluation);
            List<Diagnostic> warnings = diagnostics.sorted();
            Snapshots.assertMatches(sibling(file, ".out"), warnings.isEmpty() ? dump : dump + "--- warnings ---\n" + rendered);
        }
    }

    static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - ".imm".length()) + extension);
    }

    @Test
    void atLeastEightyEvaluationSnippets() throws IOException {
        int count = 0;
        for (String dir : DIRS) {
            count += inputs(dir).size();
        }
        assertTrue(count >= 80, "only " + count + " evaluation snippets");
    }
}
