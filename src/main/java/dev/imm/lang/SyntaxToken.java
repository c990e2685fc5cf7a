package dev.imm.lang;

import dev.imm.diag.SourceRange;

/**
 * A token as the lexer produced it, for tools that work on the text rather than the tree (tests of the
 * lexer, editors). {@code kind} is the lexer's token name, such as {@code IDENT} or {@code STRING_INTERP};
 * {@code hidden} tokens (white space, newlines, comments) are not seen by the parser.
 */
public record SyntaxToken(String kind, String text, SourceRange range, boolean hidden) {

    @Override
    public String toString() {
        return kind + "(" + text.replace("\n", "\\n") + ")";
    }
}
