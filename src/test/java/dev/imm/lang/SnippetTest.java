package dev.imm.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.diag.SourceFile;
import dev.imm.testing.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Language snippets of the front end: every {@code .imm} under {@code snippets/} with its expected output
 * beside it. In {@code fmt/} the expectation ({@code .out}) is the formatted text; elsewhere it is the
 * syntax tree dump ({@code .out}) or, for input with errors, the rendered diagnostics ({@code .err}).
 * Inputs in {@code errors/} must produce errors and inputs elsewhere must not.
 */
class SnippetTest {
    static final Path ROOT = Path.of("src/test/resources/snippets");
    static final List<String> SYNTAX_DIRS = List.of("syntax", "interpolation", "heredoc", "comments", "errors", "fmt");

    static List<Path> snippets(List<String> dirs) throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".imm"))
                    .filter(p -> dirs.contains(ROOT.relativize(p).getName(0).toString()))
                    .filter(p -> !ROOT.relativize(p).startsWith("errors/semantic"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static SourceFile source(Path file) throws IOException {
        return new SourceFile(ROOT.relativize(file).toString().replace('\\', '/'), Files.readString(file));
    }

    @TestFactory
    Stream<DynamicTest> snippets() throws IOException {
        return snippets(SYNTAX_DIRS).stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> check(file)));
    }

    private static void check(Path file) throws IOException {
        SourceFile source = source(file);
        ParseResult result = Parser.parse(source);
        String category = ROOT.relativize(file).getName(0).toString();
        Path out = sibling(file, ".out");
        Path err = sibling(file, ".err");
        if (category.equals("errors")) {
            assertTrue(result.hasErrors(), "an input in errors/ must have errors");
        } else {
            assertFalse(result.hasErrors(), () -> "unexpected errors:\n" + render(source, result));
        }
        if (result.hasErrors()) {
            Snapshots.assertAbsent(out);
            Snapshots.assertMatches(err, render(source, result));
        } else {
            Snapshots.assertAbsent(err);
            String output = category.equals("fmt") ? Formatter.format(source) : TreeDump.of(result.file());
            Snapshots.assertMatches(out, output);
        }
    }

    static String render(SourceFile source, ParseResult result) {
        return new DiagnosticRenderer(p -> source, false).render(result.diagnostics());
    }

    static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.length() - ".imm".length()) + extension);
    }

    @TestFactory
    Stream<DynamicTest> everySyntaxDirectoryHasCases() {
        return SYNTAX_DIRS.stream().map(dir -> DynamicTest.dynamicTest(dir, () -> {
            long count = snippets(List.of(dir)).size();
            assertTrue(count >= 5, dir + " has only " + count + " snippets");
        }));
    }

    @org.junit.jupiter.api.Test
    void atLeastSixtySyntaxSnippets() throws IOException {
        int count = snippets(SYNTAX_DIRS).size();
        assertTrue(count >= 60, "only " + count + " snippets");
        assertEquals(count, snippets(SYNTAX_DIRS).stream().distinct().count());
    }
}
