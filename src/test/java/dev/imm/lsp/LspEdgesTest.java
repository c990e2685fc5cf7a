package dev.imm.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.imm.testing.TestStacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where editors and imm count differently, and the places a simple server gets wrong. */
class LspEdgesTest {
    @TempDir
    Path dir;

    @Test
    void positionsCountUtf16AndLinesEndBeforeTheirTerminator() {
        String text = "a\r\nbé\uD834\uDD1Ec\n";
        assertEquals(1, Positions.index(text, new Position(0, 9)), "a CRLF line ends before its \\r");
        assertEquals(new Position(1, 4), Positions.position(text, 2, 4), "the musical symbol is two UTF-16 units");
        assertEquals(6, Positions.offset(text, new Position(1, 4)), "and one code point: c is the seventh");
        assertEquals(new Position(2, 0), Positions.end(text));
    }

    @Test
    void aQuickFixReplacesOnlyWhatWasMisspelled() {
        assertEquals("instance_type", ImmLanguageServer.replacement("instnace_type", "instance_type"));
        assertEquals("var.env", ImmLanguageServer.replacement("var.enx", "env"));
        assertEquals("\"std/rollouts\"", ImmLanguageServer.replacement("\"std/rolouts\"", "std/rollouts"));
        assertNull(ImmLanguageServer.replacement("", "env"));
        assertNull(ImmLanguageServer.replacement("x = 1", "y"));
    }

    @Test
    void documentsThatAreNoFilesAreIgnored() {
        assertNull(Documents.path("untitled:Untitled-1"));
        assertNull(Documents.path("file:///"));
    }

    @Test
    void definitionGoesIntoAnImportedFileThatIsNotOpen() throws Exception {
        Path stack = TestStacks.copyExample("showcase", dir, "showcase");
        Path main = stack.resolve("main.imm");
        try (LspClient client = new LspClient()) {
            client.open(main, Files.readString(main));
            int column = Files.readAllLines(main).get(44).indexOf("base.time_sync") + 6;
            List<? extends Location> found = client.server.getTextDocumentService()
                    .definition(new DefinitionParams(new TextDocumentIdentifier(LspClient.uri(main)), new Position(44, column)))
                    .get(10, TimeUnit.SECONDS).getLeft();
            assertEquals(List.of(new Location(LspClient.uri(stack.resolve("shared/base.imm")),
                    new Range(new Position(8, 10), new Position(8, 21)))), found);
        }
    }
}
