package dev.imm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.imm.diag.Diagnostics;
import dev.imm.model.Address;
import dev.imm.model.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's bake hash is stable across runs and machines, and changes when, and only when, one of its
 * bake inputs changes.
 */
class BakeHashTest {
    @TempDir
    Path temp;

    /** The showcase's hashes; a change here means every user's images would be baked again. */
    private static final Map<String, String> GOLDEN = Map.of(
            "image.app", "ca830b6610602b62dc0daaf91f7eff3eb430f87820705b130187fc7cbef73052",
            "image.base", "eea89c7928497b64632a4a29e3d2cf163f3c1fe27922262fe4fcaeb9cf25355d");

    private Path copyShowcase() throws IOException {
        Path target = temp.resolve("showcase");
        Path source = Path.of("examples/showcase");
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    private static Map<String, String> hashes(Path stack) {
        Diagnostics diagnostics = new Diagnostics();
        Module module = new ModuleLoader(diagnostics).loadStack(stack);
        Evaluation evaluation = StackEvaluator.evaluate(module,
                new StackEvaluator.Options(Map.of(), false, EvalSnippetTest.TEST_RESOLVER), diagnostics);
        assertFalse(diagnostics.hasErrors(), () -> diagnostics.sorted().toString());
        Map<String, String> hashes = new TreeMap<>();
        for (Map.Entry<Address, ImageSpec> e : evaluation.desired().images().entrySet()) {
            hashes.put(e.getKey().toString(), e.getValue().bakeHash());
        }
        return hashes;
    }

    @Test
    void showcaseHashesAreGolden() throws IOException {
        Map<String, String> actual = hashes(Path.of("examples/showcase"));
        assertEquals(2, actual.size());
        assertEquals(hashes(copyShowcase()), actual, "the hash must not depend on where the stack is");
        assertEquals(GOLDEN, actual);
    }

    @Test
    void aOneByteChangeInAScriptRebakesTheImageAndTheImagesLayeredOnIt() throws IOException {
        Path stack = copyShowcase();
        Map<String, String> before = hashes(stack);
        Path script = stack.resolve("scripts/harden.sh");
        byte[] bytes = Files.readAllBytes(script);
        bytes[bytes.length / 2] ^= 1;
        Files.write(script, bytes);
        Map<String, String> after = hashes(stack);
        assertNotEquals(before.get("image.base"), after.get("image.base"));
        assertNotEquals(before.get("image.app"), after.get("image.app"), "app is layered on base");
    }

    @Test
    void aChangeOfAnInputOnlyTheAppUsesLeavesTheBaseAlone() throws IOException {
        Path stack = copyShowcase();
        Map<String, String> before = hashes(stack);
        Path variables = stack.resolve("variables.imm");
        Files.writeString(variables, Files.readString(variables).replaceFirst("default\\s*=\\s*\"[^\"]*\"(\\s*\\n\\s*description\\s*=\\s*\"[^\"]*version)",
                "default = \"9.9.9\"$1"));
        Map<String, String> after = hashes(stack);
        assertEquals(before.get("image.base"), after.get("image.base"));
        assertNotEquals(before.get("image.app"), after.get("image.app"));
    }

    @Test
    void whatIsNotABakeInputChangesNoHash() throws IOException {
        Path stack = copyShowcase();
        Map<String, String> before = hashes(stack);
        Path main = stack.resolve("main.imm");
        String text = Files.readString(main);
        // keep, descriptions, fleets and outputs are not bake inputs; nor is the order of blocks and files
        Files.writeString(main, text.replace("keep = 5", "keep = 9").replace("keep       = 5", "keep       = 9"));
        Files.writeString(stack.resolve("fleets.imm"), Files.readString(stack.resolve("fleets.imm")).replace("desired", "desired ")
                .replace("= 4", "= 5"));
        Files.move(stack.resolve("rollouts.imm"), stack.resolve("0_rollouts.imm"));
        assertEquals(before, hashes(stack));
    }
}
