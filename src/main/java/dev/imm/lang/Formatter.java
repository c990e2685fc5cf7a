package dev.imm.lang;

import dev.imm.diag.SourceFile;
import dev.imm.lang.antlr.ImmLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * The layout of {@code imm fmt}. Like {@code terraform fmt} it works on the text, not the tree, so that
 * comments stay where they were and the user's choice of line breaks is kept; it only decides white space:
 * two spaces of indentation per open bracket level, single spaces between tokens (none inside calls,
 * indexes and before commas), {@code =} aligned within runs of consecutive one-line attributes at one
 * level, trailing comments of neighbouring lines lined up, no trailing white space, at most one blank line in a row, none at the start or end of a body, and
 * exactly one between top-level items when one of them is a block. Strings and heredocs are copied as
 * written. Formatting is idempotent. Only files without syntax errors are formatted.
 */
public final class Formatter {
    private Formatter() {
    }

    /** One indivisible piece of a line: a token, a whole string, a whole heredoc, or a comment. */
    private record Atom(int type, String text) {
        boolean is(int t) {
            return type == t;
        }

        boolean isComment() {
            return type == ImmLexer.LINE_COMMENT || type == ImmLexer.BLOCK_COMMENT;
        }
    }

    private static final class Line {
        final List<Atom> atoms = new ArrayList<>();
        int level;
        /** Whether the line starts at bracket depth zero: a top-level item, comment or blank. */
        boolean topLevel;
        /** Whether bracket depth is back to the line's own at its end (no bracket left open). */
        boolean closesItself;

        boolean isBlank() {
            return atoms.isEmpty();
        }

        boolean isCommentOnly() {
            return !atoms.isEmpty() && atoms.stream().allMatch(Atom::isComment);
        }

        /**
         * {@code name =} or {@code "key" =} at the start, with every bracket closed on the line, and no
         * second attribute on it ({@code min = 1  max = 4} keeps its own layout).
         */
        boolean isOneLineAttribute() {
            return closesItself && atoms.size() >= 3 && topLevelAssignments() == 1
                    && (atoms.get(0).is(ImmLexer.IDENT) || atoms.get(0).is(ImmLexer.QUOTE))
                    && atoms.get(1).is(ImmLexer.ASSIGN)
                    && atoms.stream().noneMatch(a -> a.is(ImmLexer.HEREDOC_START) || a.text().contains("\n"));
        }

        private int topLevelAssignments() {
            int depth = 0;
            int count = 0;
            for (Atom a : atoms) {
                if (isOpener(a)) {
                    depth++;
                } else if (isCloser(a)) {
                    depth--;
                } else if (depth == 0 && a.is(ImmLexer.ASSIGN)) {
                    count++;
                }
            }
            return count;
        }

        /** {@code type "label"* {} at the start: a block opens here. */
        boolean startsBlock() {
            int i = 0;
            if (atoms.isEmpty() || !atoms.get(0).is(ImmLexer.IDENT)) {
                return false;
            }
            i++;
            while (i < atoms.size() && atoms.get(i).is(ImmLexer.QUOTE)) {
                i++;
            }
            return i < atoms.size() && atoms.get(i).is(ImmLexer.LBRACE);
        }
    }

    /**
     * Whether {@code after} (the formatted text) parses to the same tree as {@code before} does: the check
     * that formatting never changes what a program means.
     */
    public static boolean sameMeaning(ParseResult before, SourceFile after) {
        ParseResult reparsed = Parser.parse(after);
        return !reparsed.hasErrors() && TreeDump.of(before.file()).equals(TreeDump.of(reparsed.file()));
    }

    public static String format(SourceFile source) {
        List<Line> lines = lines(Lexing.antlrTokens(source));
        indent(lines);
        List<Line> kept = blankLines(lines);
        return render(kept);
    }

    // ---- atoms and lines ----

    private static List<Line> lines(List<Token> tokens) {
        List<Line> lines = new ArrayList<>();
        Line line = new Line();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            int type = t.getType();
            if (type == Token.EOF) {
                break;
            }
            if (type == ImmLexer.NEWLINE) {
                lines.add(line);
                line = new Line();
            } else if (type == ImmLexer.WS) {
                continue;
            } else if (type == ImmLexer.QUOTE || type == ImmLexer.HEREDOC_START) {
                int end = closingIndex(tokens, i);
                StringBuilder text = new StringBuilder();
                for (int k = i; k <= end; k++) {
                    text.append(tokens.get(k).getText());
                }
                line.atoms.add(new Atom(type, text.toString()));
                i = end;
            } else {
                line.atoms.add(new Atom(type, t.getText()));
            }
        }
        lines.add(line);
        return lines;
    }

    /** The index of the token that ends the string or heredoc opened at {@code start}. */
    private static int closingIndex(List<Token> tokens, int start) {
        int depth = 0;
        for (int i = start; i < tokens.size(); i++) {
            int type = tokens.get(i).getType();
            if (type == ImmLexer.QUOTE || type == ImmLexer.HEREDOC_START) {
                depth++;
            } else if (type == ImmLexer.STRING_END || type == ImmLexer.STRING_UNTERMINATED
                    || type == ImmLexer.HEREDOC_END) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            } else if (type == Token.EOF) {
                return i - 1;
            }
        }
        return tokens.size() - 1;
    }

    // ---- indentation ----

    private static void indent(List<Line> lines) {
        List<Integer> openLevels = new ArrayList<>();
        for (Line line : lines) {
            line.topLevel = openLevels.isEmpty();
            int leadingClosers = 0;
            while (leadingClosers < line.atoms.size() && isCloser(line.atoms.get(leadingClosers))) {
                leadingClosers++;
            }
            if (leadingClosers > 0 && !openLevels.isEmpty()) {
                int matched = Math.min(leadingClosers, openLevels.size());
                line.level = openLevels.get(openLevels.size() - matched);
            } else {
                line.level = openLevels.isEmpty() ? 0 : openLevels.get(openLevels.size() - 1) + 1;
            }
            int depthAtStart = openLevels.size();
            int lowest = depthAtStart;
            for (Atom a : line.atoms) {
                if (isOpener(a)) {
                    openLevels.add(line.level);
                } else if (isCloser(a) && !openLevels.isEmpty()) {
                    openLevels.remove(openLevels.size() - 1);
                    lowest = Math.min(lowest, openLevels.size());
                }
            }
            line.closesItself = openLevels.size() == depthAtStart && lowest == depthAtStart;
        }
    }

    private static boolean isOpener(Atom a) {
        return a.is(ImmLexer.LBRACE) || a.is(ImmLexer.LBRACKET) || a.is(ImmLexer.LPAREN);
    }

    private static boolean isCloser(Atom a) {
        return a.is(ImmLexer.RBRACE) || a.is(ImmLexer.RBRACKET) || a.is(ImmLexer.RPAREN);
    }

    // ---- blank lines ----

    private static List<Line> blankLines(List<Line> lines) {
        List<Line> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.isBlank()) {
                boolean afterBlankOrStart = kept.isEmpty() || kept.get(kept.size() - 1).isBlank();
                boolean afterOpener = !kept.isEmpty() && endsWithOpener(kept.get(kept.size() - 1));
                if (afterBlankOrStart || afterOpener || beforeCloserOrEnd(lines, i)) {
                    continue;
                }
                kept.add(line);
                continue;
            }
            if (line.topLevel && !kept.isEmpty() && needsBlankBefore(lines, i)
                    && !kept.get(kept.size() - 1).isBlank()) {
                kept.add(new Line());
            }
            kept.add(line);
        }
        return kept;
    }

    private static boolean endsWithOpener(Line line) {
        return !line.atoms.isEmpty() && isOpener(line.atoms.get(line.atoms.size() - 1));
    }

    private static boolean beforeCloserOrEnd(List<Line> lines, int index) {
        for (int i = index + 1; i < lines.size(); i++) {
            Line next = lines.get(i);
            if (!next.isBlank()) {
                return isCloser(next.atoms.get(0));
            }
        }
        return true;
    }

    /**
     * Whether a top-level line at {@code index} must be preceded by a blank line: it starts an item (or the
     * comments directly above one) and either that item or the item before it is a block.
     */
    private static boolean needsBlankBefore(List<Line> lines, int index) {
        Line previous = null;
        for (int i = index - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                previous = lines.get(i);
                break;
            }
        }
        if (previous == null || (previous.topLevel && previous.isCommentOnly())) {
            return false; // comments directly above stay attached to what follows
        }
        Line item = lines.get(index);
        for (int i = index; i < lines.size() && item.isCommentOnly(); i++) {
            item = lines.get(i);
            if (item.isBlank()) {
                return false;
            }
        }
        return item.startsBlock() || previousItemIsBlock(lines, index);
    }

    private static boolean previousItemIsBlock(List<Line> lines, int index) {
        for (int i = index - 1; i >= 0; i--) {
            Line line = lines.get(i);
            if (line.topLevel && !line.isBlank() && !line.isCommentOnly()) {
                return line.startsBlock();
            }
        }
        return false;
    }

    // ---- output ----

    private static String render(List<Line> lines) {
        List<String> code = new ArrayList<>();
        List<String> comments = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int end = line.atoms.size();
            boolean trailingComment = end >= 2 && line.atoms.get(end - 1).is(ImmLexer.LINE_COMMENT);
            code.add(line.isBlank() ? "" : renderAtoms(lines, i, trailingComment ? end - 1 : end));
            comments.add(trailingComment ? line.atoms.get(end - 1).text() : null);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code.get(i));
            if (comments.get(i) != null) {
                out.append(" ".repeat(commentColumn(code, comments, i) - displayWidth(code.get(i))))
                        .append(comments.get(i));
            }
            out.append('\n');
        }
        while (out.length() > 1 && out.charAt(out.length() - 1) == '\n' && out.charAt(out.length() - 2) == '\n') {
            out.setLength(out.length() - 1);
        }
        return out.length() == 1 ? "" : out.toString();
    }

    /** The indentation and the first {@code count} atoms of line {@code index}, spaced and aligned. */
    private static String renderAtoms(List<Line> lines, int index, int count) {
        Line line = lines.get(index);
        int width = line.isOneLineAttribute() ? alignmentWidth(lines, index) : 0;
        StringBuilder out = new StringBuilder("  ".repeat(line.level));
        for (int k = 0; k < count; k++) {
            Atom atom = line.atoms.get(k);
            if (k > 0) {
                out.append(spaceBetween(line.atoms.get(k - 1), atom, k >= 2 ? line.atoms.get(k - 2) : null) ? " " : "");
            }
            out.append(atom.text());
            if (k == 0 && width > 0) {
                out.append(" ".repeat(width - displayWidth(atom.text())));
            }
        }
        return out.toString();
    }

    /**
     * The column trailing comments start at: one space after the longest code among the neighbouring
     * lines that all end in a comment, so that such a run of comments lines up.
     */
    private static int commentColumn(List<String> code, List<String> comments, int index) {
        int start = index;
        while (start > 0 && comments.get(start - 1) != null) {
            start--;
        }
        int width = 0;
        for (int i = start; i < code.size() && comments.get(i) != null; i++) {
            width = Math.max(width, displayWidth(code.get(i)));
        }
        return width + 1;
    }

    /** The widest key among the run of one-line attributes at one level that line {@code index} is in. */
    private static int alignmentWidth(List<Line> lines, int index) {
        int level = lines.get(index).level;
        int start = index;
        while (start > 0 && lines.get(start - 1).isOneLineAttribute() && lines.get(start - 1).level == level) {
            start--;
        }
        int width = 0;
        for (int i = start; i < lines.size() && lines.get(i).isOneLineAttribute() && lines.get(i).level == level; i++) {
            width = Math.max(width, displayWidth(lines.get(i).atoms.get(0).text()));
        }
        return width;
    }

    private static int displayWidth(String text) {
        return text.codePointCount(0, text.length());
    }

    /** Whether one space separates {@code a} and the following {@code b}; {@code beforeA} helps spot a unary minus. */
    private static boolean spaceBetween(Atom a, Atom b, Atom beforeA) {
        if (b.is(ImmLexer.LINE_COMMENT) || b.is(ImmLexer.BLOCK_COMMENT) || a.isComment()) {
            return true;
        }
        if (b.is(ImmLexer.COMMA) || b.is(ImmLexer.RPAREN) || b.is(ImmLexer.RBRACKET) || b.is(ImmLexer.DOT)
                || a.is(ImmLexer.DOT) || a.is(ImmLexer.LPAREN) || a.is(ImmLexer.LBRACKET) || a.is(ImmLexer.NOT)) {
            return false;
        }
        if (a.is(ImmLexer.LBRACE)) {
            return !b.is(ImmLexer.RBRACE);
        }
        if (b.is(ImmLexer.LPAREN) && a.is(ImmLexer.IDENT)) {
            return false;
        }
        if (b.is(ImmLexer.LBRACKET) && endsOperand(a)) {
            return false;
        }
        if (a.is(ImmLexer.MINUS) && isUnaryPosition(beforeA)) {
            return false;
        }
        return true;
    }

    private static boolean endsOperand(Atom a) {
        return a.is(ImmLexer.IDENT) || a.is(ImmLexer.RBRACKET) || a.is(ImmLexer.RPAREN) || a.is(ImmLexer.QUOTE)
                || a.is(ImmLexer.RBRACE);
    }

    private static boolean isUnaryPosition(Atom before) {
        if (before == null) {
            return true;
        }
        switch (before.type()) {
            case ImmLexer.IDENT: case ImmLexer.NUMBER: case ImmLexer.DURATION: case ImmLexer.PERCENT:
            case ImmLexer.TRUE: case ImmLexer.FALSE: case ImmLexer.NULL: case ImmLexer.QUOTE:
            case ImmLexer.HEREDOC_START: case ImmLexer.RPAREN: case ImmLexer.RBRACKET: case ImmLexer.RBRACE:
                return false;
            default:
                return true;
        }
    }
}
