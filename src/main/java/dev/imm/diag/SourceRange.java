package dev.imm.diag;

/**
 * A span of source text. Lines and columns are 1-based; columns and offsets count Unicode code points
 * (a tab is one column). The end is exclusive: a one-character range at column 5 ends at column 6.
 */
public record SourceRange(String path, int startLine, int startColumn, int endLine, int endColumn,
                          int startOffset, int endOffset) implements Comparable<SourceRange> {

    /** A range covering both {@code this} and {@code other}, which must be in the same file. */
    public SourceRange to(SourceRange other) {
        SourceRange first = compareTo(other) <= 0 ? this : other;
        SourceRange last = endOffset >= other.endOffset ? this : other;
        return new SourceRange(path, first.startLine, first.startColumn, last.endLine, last.endColumn,
                first.startOffset, last.endOffset);
    }

    /** The empty range at the start of this one. */
    public SourceRange start() {
        return new SourceRange(path, startLine, startColumn, startLine, startColumn, startOffset, startOffset);
    }

    /** {@code path:line:column} of the start, as compilers print it. */
    public String location() {
        return path + ":" + startLine + ":" + startColumn;
    }

    @Override
    public int compareTo(SourceRange other) {
        int byPath = path.compareTo(other.path);
        if (byPath != 0) {
            return byPath;
        }
        if (startLine != other.startLine) {
            return Integer.compare(startLine, other.startLine);
        }
        return Integer.compare(startColumn, other.startColumn);
    }

    @Override
    public String toString() {
        return path + ":" + startLine + ":" + startColumn + "-" + endLine + ":" + endColumn;
    }
}
