package dev.imm.eval;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.imm.diag.Diagnostics;
import dev.imm.model.DesiredState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Evaluates a stack written in a test, for tests of later phases. */
public final class EvalTestSupport {
    private EvalTestSupport() {
    }

    public static DesiredState evaluate(String stack) {
        try {
            Path dir = Files.createTempDirectory("imm-test-stack");
            Files.writeString(dir.resolve("main.imm"), stack);
            Diagnostics diagnostics = new Diagnostics();
            Module module = new ModuleLoader(diagnostics).loadStack(dir);
            Evaluation evaluation = StackEvaluator.evaluate(module, new StackEvaluator.Options(Map.of(), true,
                    EvalSnippetTest.TEST_RESOLVER), diagnostics);
            assertFalse(diagnostics.hasErrors(), () -> diagnostics.sorted().toString());
            return evaluation.desired();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
