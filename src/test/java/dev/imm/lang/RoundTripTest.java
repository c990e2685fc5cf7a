package dev.imm.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.imm.diag.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties over every valid snippet and example file: printing a tree and parsing it again gives an
 * equal tree; {@code fmt} never changes the tree, is idempotent, and leaves the printer's output as it is.
 */
class RoundTripTest {

    static List<Path> validInputs() throws IOException {
        List<String> dirs = new ArrayList<>(SnippetTest.SYNTAX_DIRS);
        dirs.remove("errors");
        List<Path> files = new ArrayList<>(SnippetTest.snippets(dirs));
        files.addAll(dev.imm.testing.ImmFiles.under(Path.of("examples")));
        return files;
    }

    @TestFactory
    Stream<DynamicTest> roundTrips() throws IOException {
        return validInputs().stream().map(file -> DynamicTest.dynamicTest(file.toString(), () -> {
            SourceFile source = new SourceFile(file.toString(), Files.readString(file));
            ParseResult parsed = Parser.parse(source);
            assertFalse(parsed.hasErrors(), () -> parsed.diagnostics().toString());
            String tree = TreeDump.of(parsed.file());

            String printed = Printer.print(parsed.file());
            assertEquals(tree, dump(printed), "parse(print(tree)) differs from the tree");

            String formatted = Formatter.format(source);
            assertEquals(tree, dump(formatted), "fmt changed the tree");
            assertEquals(formatted, Formatter.format(new SourceFile(file.toString(), formatted)), "fmt is not idempotent");

            assertEquals(printed, Formatter.format(new SourceFile("printed.imm", printed)),
                    "fmt changes the printer's canonical output");
        }));
    }

    private static String dump(String text) {
        ParseResult again = Parser.parse(new SourceFile("again.imm", text));
        assertFalse(again.hasErrors(), () -> "output does not parse:\n" + text + "\n" + again.diagnostics());
        return TreeDump.of(again.file());
    }
}
