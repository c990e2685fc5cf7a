package dev.imm.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.imm.testing.ImmFiles;
import org.junit.jupiter.api.Test;

/**
 * The TextMate grammar ({@code editors/imm.tmLanguage.json}) tokenizes every example, the standard
 * library and every language snippet that is not an error case as VS Code would: with vscode-textmate
 * and its Oniguruma engine, run by Node ({@code editors/test/tokenize.mjs}, which also checks the scopes
 * an editor colours by). The two npm packages are installed with {@code npm ci} the first time. Skipped,
 * saying why, where Node or npm is not installed.
 */
class GrammarTest {
    private static final Path TEST = Path.of("editors", "test");

    @Test
    void theGrammarTokenizesEveryExampleAndSnippet() throws IOException, InterruptedException {
        assumeTrue(runs("node", "--version"), "node is not installed: the grammar is not checked");
        if (!Files.isDirectory(TEST.resolve("node_modules"))) {
            assumeTrue(runs("npm", "--version"), "npm is not installed: the grammar is not checked");
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(TEST.toFile())
                    .redirectErrorStream(true).start();
            String log = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(install.waitFor(180, TimeUnit.SECONDS) && install.exitValue() == 0,
                    "npm ci in editors/test failed, so the grammar is not checked:\n" + log);
        }
        List<String> command = new ArrayList<>(List.of("node", TEST.resolve("tokenize.mjs").toString()));
        for (String root : List.of("examples", "stdlib", "src/test/resources/snippets")) {
            ImmFiles.under(Path.of(root)).stream().filter(p -> !p.toString().contains("/errors/")).forEach(p -> command.add(p.toString()));
        }
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        node.waitFor(120, TimeUnit.SECONDS);
        System.out.print("GrammarTest: " + output);
        assertEquals(0, node.exitValue(), output);
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
