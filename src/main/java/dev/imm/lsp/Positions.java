package dev.imm.lsp;

import dev.imm.diag.SourceRange;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Between imm's positions (1-based lines, columns and offsets in Unicode code points) and the protocol's
 * (0-based lines, characters in UTF-16 code units, which is what a Java string index counts).
 */
final class Positions {
    private Positions() {
    }

    /** The UTF-16 index where 0-based line {@code line} starts, or the text's length past the last line. */
    static int lineStart(String text, int line) {
        int index = 0;
        for (int l = 0; l < line; l++) {
            int next = text.indexOf('\n', index);
            if (next < 0) {
                return text.length();
            }
            index = next + 1;
        }
        return index;
    }

    /** The protocol position of 1-based {@code line} and code-point {@code column}. */
    static Position position(String text, int line, int column) {
        int start = lineStart(text, line - 1);
        int index = start;
        for (int c = 1; c < column && index < text.length() && text.charAt(index) != '\n'; c++) {
            index = text.offsetByCodePoints(index, 1);
        }
        return new Position(line - 1, index - start);
    }

    static Range range(String text, SourceRange r) {
        return new Range(position(text, r.startLine(), r.startColumn()), position(text, r.endLine(), r.endColumn()));
    }

    /** The UTF-16 index of a protocol position, clamped to the text. */
    static int index(String text, Position p) {
        int start = lineStart(text, p.getLine());
        int end = text.indexOf('\n', start);
        end = end < 0 ? text.length() : end;
        if (end > start && text.charAt(end - 1) == '\r') {
            end--; // a line's length does not count its terminator, \r\n included
        }
        return Math.min(end, start + Math.max(0, p.getCharacter()));
    }

    /** The protocol position of a UTF-16 index. */
    static Position at(String text, int index) {
        int line = 0;
        int lineStart = 0;
        for (int i = 0; i < index && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Position(line, Math.max(0, index - lineStart));
    }

    /** Where a text ends, as a protocol position. */
    static Position end(String text) {
        return at(text, text.length());
    }

    /** The code-point offset of a protocol position: what {@link SourceRange} offsets count. */
    static int offset(String text, Position p) {
        return text.codePointCount(0, index(text, p));
    }

    static boolean contains(SourceRange r, int offset) {
        return r != null && r.startOffset() <= offset && offset <= r.endOffset();
    }
}
