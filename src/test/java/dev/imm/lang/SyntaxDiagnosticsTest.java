package dev.imm.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.diag.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three common mistakes each give one diagnostic at the right place; independent errors are all found. */
class SyntaxDiagnosticsTest {

    private static List<Diagnostic> diagnostics(String text) {
        return Parser.parse(new SourceFile("main.imm", text)).diagnostics();
    }

    private static String at(Diagnostic d) {
        return d.subject().startLine() + ":" + d.subject().startColumn();
    }

    @Test
    void aTypoGivesOneDiagnosticInTheCompilerShape() {
        String text = "fleet \"web\" {\n  min = 1\n  instance_type \"t3.small\"\n  max = 4\n}\n";
        List<Diagnostic> found = diagnostics(text);
        assertEquals(1, found.size(), found::toString);
        String rendered = new DiagnosticRenderer(p -> new SourceFile("main.imm", text), false).render(found.get(0));
        assertEquals("error: expected '=' or '{' after \"instance_type\" \"t3.small\"\n"
                + " --> main.imm:3:17\n"
                + "  |\n"
                + "3 |   instance_type \"t3.small\"\n"
                + "  |                 ^^^^^^^^^^ did you mean instance_type = \"t3.small\"?\n"
                + "  = An attribute is written name = value; a block is a name, labels and { ... }.\n", rendered);
    }

    @Test
    void anUnterminatedStringGivesOneDiagnosticAtItsQuote() {
        List<Diagnostic> found = diagnostics("image \"a\" {\n  x = \"abc\n  y = 2\n}\n");
        assertEquals(1, found.size(), found::toString);
        assertEquals("unterminated string", found.get(0).summary());
        assertEquals("2:7", at(found.get(0)));
    }

    @Test
    void anUnclosedBraceGivesOneDiagnosticAtTheBraceNamingWhereTheBlockShouldHaveEnded() {
        List<Diagnostic> found = diagnostics("image \"a\" {\n  x = 1\n\nfleet \"b\" {\n  y = 2\n}\n");
        assertEquals(1, found.size(), found::toString);
        assertEquals("unclosed '{' opened at 1:11", found.get(0).summary());
        assertEquals("1:11", at(found.get(0)));
        assertEquals(1, found.get(0).related().size());
        assertEquals("4:1", found.get(0).related().get(0).range().startLine() + ":" + found.get(0).related().get(0).range().startColumn());
        assertEquals("expected '}' before this line", found.get(0).related().get(0).message());
    }

    @Test
    void anUnclosedBraceAtTheEndPointsAtTheBrace() {
        List<Diagnostic> found = diagnostics("image \"a\" {\n  x = 1\n");
        assertEquals(1, found.size(), found::toString);
        assertEquals("1:11", at(found.get(0)));
    }

    @Test
    void threeIndependentErrorsAreAllReportedInOrder() {
        List<Diagnostic> found = diagnostics(
                "image \"a\" {\n  x = \n}\n\nfleet \"b\" {\n  y = [1 2]\n}\n\noutput \"c\" {\n  value = 1 +\n}\n");
        assertEquals(List.of("3:1", "6:10", "11:1"), found.stream().map(SyntaxDiagnosticsTest::at).toList());
    }

    @Test
    void itemsOutsideTheBrokenBlockStillReachTheTree() {
        ParseResult result = Parser.parse(new SourceFile("m.imm", "a = 1\nb = = 2\nc = 3\n"));
        assertEquals(1, result.diagnostics().size());
        assertEquals(List.of("a", "c"),
                result.file().items().stream().map(i -> ((Attribute) i).name()).toList());
    }

    @Test
    void rangesUseCodePointColumns() {
        List<Diagnostic> found = diagnostics("label = \"été 🚀\" ;\n");
        assertEquals("1:17", at(found.get(0)));
    }
}
