package dev.imm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.imm.diag.Diagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard library in stdlib/ is what the loader offers, and every module of it loads cleanly. */
class StandardLibraryTest {

    @Test
    void theListOfStandardModulesMatchesTheDirectory() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("stdlib"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".imm"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .collect(Collectors.toList());
            assertEquals(ModuleLoader.STANDARD_MODULES, names);
        }
    }

    @Test
    void everyStandardModuleImportsWithoutDiagnostics(@TempDir Path dir) throws IOException {
        StringBuilder stack = new StringBuilder();
        for (String name : ModuleLoader.STANDARD_MODULES) {
            stack.append("import \"std/").append(name).append("\"\n");
        }
        Files.writeString(dir.resolve("main.imm"), stack.toString());
        Diagnostics diagnostics = new Diagnostics();
        Module module = new ModuleLoader(diagnostics).loadStack(dir);
        Evaluation evaluation = StackEvaluator.evaluate(module, StackEvaluator.Options.VALIDATE, diagnostics);
        assertFalse(diagnostics.iterator().hasNext(), () -> diagnostics.sorted().toString());
        assertEquals(4, evaluation.desired().rollouts().size());
        assertEquals(4, evaluation.desired().components().size());
    }
}
