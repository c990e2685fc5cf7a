package dev.imm.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imm.diag.SourceFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Token streams of the lexer's hard cases: interpolation nesting, escapes, heredocs, number forms. */
class LexingTest {

    /** The visible tokens as {@code KIND(text)}, space separated. */
    private static String tokens(String text) {
        return Lexing.tokens(new SourceFile("t.imm", text)).stream()
                .filter(t -> !t.hidden() && !t.kind().equals("EOF"))
                .map(SyntaxToken::toString)
                .collect(Collectors.joining(" "));
    }

    @Test
    void interpolationWithNestedBracesReturnsToTheString() {
        assertEquals("IDENT(x) ASSIGN(=) QUOTE(\") STRING_TEXT(a) STRING_INTERP(${) LBRACE({) IDENT(b) ASSIGN(=) "
                        + "NUMBER(1) RBRACE(}) LBRACKET([) QUOTE(\") STRING_TEXT(b) STRING_END(\") RBRACKET(]) "
                        + "RBRACE(}) STRING_TEXT(c) STRING_END(\")",
                tokens("x = \"a${ {b=1}[\"b\"] }c\""));
    }

    @Test
    void stringsAndCallsInsideInterpolation() {
        assertEquals("QUOTE(\") STRING_INTERP(${) IDENT(upper) LPAREN(() QUOTE(\") STRING_TEXT(}) STRING_END(\") "
                        + "RPAREN()) RBRACE(}) STRING_END(\")",
                tokens("\"${upper(\"}\")}\""));
    }

    @Test
    void dollarEscapeAfterTextIsAnEscapeNotAnInterpolation() {
        assertEquals("QUOTE(\") STRING_TEXT(a) STRING_DOLLAR_ESCAPE($${) STRING_TEXT(x}) STRING_END(\")",
                tokens("\"a$${x}\""));
        assertEquals("QUOTE(\") STRING_TEXT(cost $) STRING_END(\")", tokens("\"cost $\""));
        assertEquals("QUOTE(\") STRING_TEXT($) STRING_DOLLAR_ESCAPE($${) STRING_TEXT(x}) STRING_END(\")",
                tokens("\"$$${x}\""));
    }

    @Test
    void escapesAreSingleTokens() {
        assertEquals("QUOTE(\") STRING_ESCAPE(\\n) STRING_ESCAPE(\\u00e9) STRING_ESCAPE(\\\") STRING_END(\")",
                tokens("\"\\n\\u00e9\\\"\""));
    }

    @Test
    void newlineInsideStringEndsItAndUnwindsAnOpenInterpolation() {
        assertEquals("QUOTE(\") STRING_TEXT(web-) STRING_INTERP(${) IDENT(var) DOT(.) IDENT(env) QUOTE(\") "
                        + "STRING_UNTERMINATED(\\n) IDENT(y) ASSIGN(=) NUMBER(1)",
                tokens("\"web-${var.env\"\ny = 1"));
    }

    @Test
    void heredocWithInterpolationAndIndentedMarker() {
        assertEquals("IDENT(x) ASSIGN(=) HEREDOC_START(<<-EOT\\n) HEREDOC_TEXT(  a ) HEREDOC_INTERP(${) IDENT(b) "
                        + "RBRACE(}) HEREDOC_NEWLINE(\\n) HEREDOC_TEXT(  EOTX) HEREDOC_NEWLINE(\\n) HEREDOC_END(  EOT) "
                        + "IDENT(y) ASSIGN(=) NUMBER(2)",
                tokens("x = <<-EOT\n  a ${b}\n  EOTX\n  EOT\ny = 2"));
    }

    @Test
    void heredocEndsAtEndOfFileWithoutNewline() {
        assertEquals("HEREDOC_START(<<EOT\\n) HEREDOC_TEXT(hi) HEREDOC_NEWLINE(\\n) HEREDOC_END(EOT)",
                tokens("<<EOT\nhi\nEOT"));
    }

    @Test
    void heredocDollarEscape() {
        assertEquals("HEREDOC_START(<<EOT\\n) HEREDOC_TEXT(a) HEREDOC_DOLLAR_ESCAPE($${) HEREDOC_TEXT(b}) "
                        + "HEREDOC_NEWLINE(\\n) HEREDOC_END(EOT)",
                tokens("<<EOT\na$${b}\nEOT\n"));
    }

    @Test
    void numberForms() {
        assertEquals("DURATION(1h30m) DURATION(500ms) DURATION(2d) PERCENT(12.5%) NUMBER(0.5) NUMBER(1e3) "
                        + "BAD_NUMBER(5min) BAD_NUMBER(1h30)",
                tokens("1h30m 500ms 2d 12.5% 0.5 1e3 5min 1h30"));
    }

    @Test
    void commentsAreHiddenEvenWhenTheyLookLikeCode() {
        assertEquals("IDENT(a) ASSIGN(=) NUMBER(1) IDENT(b) ASSIGN(=) QUOTE(\") STRING_TEXT(# no) STRING_END(\")",
                tokens("a = 1 # x = 2\n/* y = 3 */ // z\nb = \"# no\""));
    }

    @Test
    void keywordsAreNotPrefixesOfNames() {
        assertEquals("IDENT(for_each) ASSIGN(=) IDENT(format) LPAREN(() IDENT(input) RPAREN()) IDENT(iffy)",
                tokens("for_each = format(input) iffy"));
    }
}
