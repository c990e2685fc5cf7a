package dev.imm.lang;

import dev.imm.diag.SourceRange;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Turns ANTLR token positions into {@link SourceRange}s of one file. */
final class Ranges {
    private final String path;

    Ranges(String path) {
        this.path = path;
    }

    SourceRange of(Token token) {
        return between(token, token);
    }

    SourceRange of(ParserRuleContext ctx) {
        Token stop = ctx.getStop();
        if (stop == null || stop.getTokenIndex() < ctx.getStart().getTokenIndex()) {
            stop = ctx.getStart();
        }
        return between(ctx.getStart(), stop);
    }

    /** From the start of {@code first} to the end of {@code last}. */
    SourceRange between(Token first, Token last) {
        int line = first.getLine();
        int column = first.getCharPositionInLine() + 1;
        int endLine = last.getLine();
        int endColumn = last.getCharPositionInLine() + 1;
        String text = last.getType() == Token.EOF ? "" : last.getText();
        int cp = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            cp++;
            if (c == '\n') {
                endLine++;
                endColumn = 1;
            } else {
                endColumn++;
            }
        }
        int startOffset = Math.max(0, first.getStartIndex());
        int endOffset = last.getType() == Token.EOF ? Math.max(0, last.getStartIndex()) : last.getStartIndex() + cp;
        return new SourceRange(path, line, column, endLine, endColumn, startOffset, endOffset);
    }

    String path() {
        return path;
    }
}
