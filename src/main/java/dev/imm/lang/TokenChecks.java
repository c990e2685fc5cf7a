package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceRange;
import dev.imm.lang.antlr.ImmLexer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * The problems the token stream alone shows, found before parsing so that each is reported once, in the
 * user's terms, at the place it starts: bad characters and numbers, invalid escapes, unterminated strings,
 * heredocs and comments, and brackets that are never closed or close the wrong thing. The parser's own
 * errors at tokens reported here are dropped, so one mistake gives one diagnostic.
 */
final class TokenChecks {
    private final Ranges ranges;
    private final Diagnostics diagnostics;
    /** Start offsets of tokens already reported. */
    private final Set<Integer> reported = new HashSet<>();
    private boolean unfinishedAtEnd;
    /** Offset of the first comment, string or heredoc left open at the end (it swallowed what followed), or MAX_VALUE. */
    private int swallowedFrom = Integer.MAX_VALUE;
    /** For each STRING_UNTERMINATED token (by offset): the offset of the outermost string it cut short. */
    private final java.util.Map<Integer, Integer> cutStrings = new java.util.HashMap<>();
    /** Mismatched and stray closers, held back: the parser's message may explain the same mistake better. */
    private final List<BracketProblem> bracketProblems = new java.util.ArrayList<>();

    /** A bracket diagnostic and the offset of the token it is about. */
    record BracketProblem(int offset, Diagnostic diagnostic) {
    }

    TokenChecks(Ranges ranges, Diagnostics diagnostics) {
        this.ranges = ranges;
        this.diagnostics = diagnostics;
    }

    /** Whether a problem was already reported at this token. */
    boolean isReported(Token token) {
        return reported.contains(token.getStartIndex());
    }

    /**
     * The deepest nesting of brackets, braces and interpolations imm reads. The parser and everything after
     * it recurse once per level; a file nested deeper is refused with one diagnostic instead of parsed.
     */
    static final int MAX_NESTING = 256;
    private boolean tooDeep;

    /** Whether the file nests deeper than {@link #MAX_NESTING} (it is then not parsed). */
    boolean tooDeep() {
        return tooDeep;
    }

    /** Whether something (a string, heredoc, comment or bracket) is still open at the end of the file. */
    boolean unfinishedAtEnd() {
        return unfinishedAtEnd;
    }

    List<BracketProblem> bracketProblems() {
        return bracketProblems;
    }

    void check(List<Token> tokens) {
        checkLexical(tokens);
        checkBrackets(tokens);
    }

    private void report(Token at, SourceRange range, String summary, String hint, String detail) {
        reported.add(at.getStartIndex());
        diagnostics.add(new Diagnostic(dev.imm.diag.Severity.ERROR, summary, detail, hint, range));
    }

    private void checkLexical(List<Token> tokens) {
        // strings, heredocs, and the interpolations and braces inside them, as the lexer's modes nest them
        Deque<Token> open = new ArrayDeque<>();
        for (Token t : tokens) {
            switch (t.getType()) {
                case ImmLexer.BAD_CHAR:
                    badCharacter(t);
                    break;
                case ImmLexer.BAD_NUMBER:
                    report(t, ranges.of(t), "invalid number \"" + t.getText() + "\"",
                            "a duration's units are ms, s, m, h and d, as in 5m or 1h30m", "");
                    break;
                case ImmLexer.STRING_ESCAPE:
                    if (!Escapes.isValid(t.getText())) {
                        report(t, ranges.of(t), "invalid escape sequence '" + t.getText() + "'",
                                "use \\\\ for a backslash",
                                "A string knows the escapes \\n \\r \\t \\\" \\\\ \\uXXXX and \\UXXXXXXXX.");
                    }
                    break;
                case ImmLexer.UNTERMINATED_BLOCK_COMMENT:
                    swallowed(t);
                    report(t, ranges.of(t).start(), "unterminated comment", "this '/*' is never closed by '*/'", "");
                    break;
                case ImmLexer.QUOTE:
                case ImmLexer.HEREDOC_START:
                case ImmLexer.STRING_INTERP:
                case ImmLexer.HEREDOC_INTERP:
                    open.push(t);
                    break;
                case ImmLexer.LBRACE:
                    if (!open.isEmpty()) {
                        open.push(t);
                    }
                    break;
                case ImmLexer.RBRACE:
                    if (!open.isEmpty() && (open.peek().getType() == ImmLexer.LBRACE || isInterpolation(open.peek()))) {
                        open.pop();
                    }
                    break;
                case ImmLexer.STRING_END:
                case ImmLexer.HEREDOC_END:
                    open.poll();
                    break;
                case ImmLexer.STRING_UNTERMINATED:
                    // mirror the lexer: leave the string, and any "${" of an enclosing string with it
                    Token quote = open.poll();
                    while (!open.isEmpty() && isInterpolation(open.peek())) {
                        open.pop();
                        if (!open.isEmpty() && open.peek().getType() == ImmLexer.QUOTE) {
                            quote = open.pop();
                        } else {
                            break;
                        }
                    }
                    Token start = quote != null ? quote : t;
                    cutStrings.put(t.getStartIndex(), start.getStartIndex());
                    unterminatedString(start, t);
                    break;
                default:
                    break;
            }
        }
        Token eof = tokens.get(tokens.size() - 1);
        for (Token t : open) {
            if (t.getType() == ImmLexer.QUOTE) {
                swallowed(t);
                unterminatedString(t, eof);
            } else if (t.getType() == ImmLexer.HEREDOC_START) {
                swallowed(t);
                String marker = t.getText().replaceFirst("^<<-?", "").strip();
                report(t, ranges.of(t), "unterminated heredoc", "no line holds only \"" + marker + "\" after this",
                        "End the heredoc with a line that holds only its marker, " + marker + ".");
            }
        }
    }

    private void swallowed(Token t) {
        unfinishedAtEnd = true;
        swallowedFrom = Math.min(swallowedFrom, t.getStartIndex());
    }

    private static boolean isInterpolation(Token t) {
        return t.getType() == ImmLexer.STRING_INTERP || t.getType() == ImmLexer.HEREDOC_INTERP;
    }

    private void unterminatedString(Token quote, Token end) {
        SourceRange from = ranges.of(quote);
        SourceRange range = end.getLine() == quote.getLine() && end.getType() != Token.EOF
                ? from.to(ranges.of(end).start())
                : from;
        reported.add(end.getStartIndex());
        report(quote, range, "unterminated string", "this string has no closing '\"'",
                "A string ends with '\"' on the line it starts on; use a heredoc (<<EOT) for text of several lines.");
    }

    private void badCharacter(Token t) {
        String c = t.getText();
        String hint;
        switch (c) {
            case "'": hint = "strings are written in double quotes"; break;
            case ";": hint = "attributes are separated by newlines, not ';'"; break;
            case "%": hint = "there is no '%' operator; a percent is written as a number followed by %, as in 10%"; break;
            case "&": hint = "did you mean '&&'?"; break;
            case "|": hint = "did you mean '||'?"; break;
            case "$": hint = "interpolation is written inside a string: \"${...}\""; break;
            default: hint = "this character has no meaning here";
        }
        String shown = c.codePointAt(0) < 0x20 ? String.format("U+%04X", c.codePointAt(0)) : c;
        report(t, ranges.of(t), "unexpected character '" + shown + "'", hint, "");
    }

    private record Opener(Token token, int lineIndent, Token[] suspect) {
    }

    private void checkBrackets(List<Token> tokens) {
        Deque<Opener> open = new ArrayDeque<>();
        int previousLine = 0;
        int lineIndent = 0;
        for (Token t : tokens) {
            if (t.getChannel() != Token.DEFAULT_CHANNEL || t.getType() == Token.EOF) {
                continue;
            }
            boolean startsLine = t.getLine() != previousLine;
            previousLine = endLine(t);
            if (startsLine) {
                lineIndent = t.getCharPositionInLine();
                if (!isCloser(t.getType()) && !isInsideText(t.getType())) {
                    for (Opener o : open) {
                        if (o.suspect[0] == null && lineIndent <= o.lineIndent && o.token.getType() == ImmLexer.LBRACE) {
                            o.suspect[0] = t;
                        }
                    }
                }
            }
            int type = t.getType();
            if (type == ImmLexer.LBRACE || type == ImmLexer.LBRACKET || type == ImmLexer.LPAREN
                    || type == ImmLexer.STRING_INTERP || type == ImmLexer.HEREDOC_INTERP) {
                open.push(new Opener(t, lineIndent, new Token[1]));
                if (open.size() > MAX_NESTING && !tooDeep) {
                    tooDeep = true;
                    report(t, ranges.of(t), "nested more than " + MAX_NESTING + " levels deep",
                            "imm reads at most " + MAX_NESTING + " levels of brackets, braces and interpolations",
                            "Split the value into locals that refer to one another.");
                }
            } else if (isCloser(type)) {
                close(open, t);
            } else if (type == ImmLexer.STRING_UNTERMINATED) {
                int quoteOffset = cutStrings.getOrDefault(t.getStartIndex(), t.getStartIndex());
                while (!open.isEmpty() && open.peek().token.getStartIndex() > quoteOffset) {
                    open.pop();
                }
            }
        }
        // a comment, string or heredoc left open at the end swallowed the closers after it: it is the mistake
        while (!open.isEmpty() && swallowedFrom == Integer.MAX_VALUE) {
            unclosed(open.removeLast(), tokens.get(tokens.size() - 1));
        }
    }

    private void close(Deque<Opener> open, Token closer) {
        if (open.isEmpty()) {
            bracketProblem(closer, Diagnostic.error(ranges.of(closer), "unexpected '" + closer.getText() + "'")
                    .withHint("there is no '" + openerFor(closer.getType()) + "' for this to close"));
            return;
        }
        Opener top = open.peek();
        if (closes(closer.getType(), top.token.getType())) {
            open.pop();
            return;
        }
        String expected = closerFor(top.token.getType());
        bracketProblem(closer, Diagnostic.error(ranges.of(closer),
                "expected '" + expected + "' to close '" + openText(top.token) + "' opened at " + position(top.token)
                        + ", found '" + closer.getText() + "'").withHint("expected '" + expected + "' here"));
        // a wrong closer on the opener's own line is a typo for the right one; on a later line, the inner
        // bracket was probably left open and this closes an outer one
        if (top.token.getLine() == closer.getLine() || open.stream().noneMatch(o -> closes(closer.getType(), o.token.getType()))) {
            if (top.token.getLine() == closer.getLine()) {
                open.pop();
            }
            return;
        }
        while (!closes(closer.getType(), open.peek().token.getType())) {
            open.pop();
        }
        open.pop();
    }

    private void bracketProblem(Token at, Diagnostic diagnostic) {
        reported.add(at.getStartIndex());
        bracketProblems.add(new BracketProblem(at.getStartIndex(), diagnostic));
    }

    private void unclosed(Opener o, Token eof) {
        unfinishedAtEnd = true;
        String opened = "'" + openText(o.token) + "' opened at " + position(o.token);
        String closer = closerFor(o.token.getType());
        Token suspect = o.suspect[0];
        if (suspect != null) {
            // the brace that is not closed is the mistake; the line where it still is open is where to fix it
            reported.add(suspect.getStartIndex());
            reported.add(o.token.getStartIndex());
            diagnostics.add(new Diagnostic(dev.imm.diag.Severity.ERROR, "unclosed " + opened,
                    "It is still open at " + position(suspect) + ", where a new item starts at its indentation."
                            + " Add the missing '" + closer + "' before that line.",
                    "this '" + openText(o.token) + "' is never closed", ranges.of(o.token))
                    .withRelated(java.util.List.of(new Diagnostic.Related(ranges.of(suspect),
                            "expected '" + closer + "' before this line"))));
        } else {
            report(o.token, ranges.of(o.token), "unclosed " + opened,
                    "this '" + openText(o.token) + "' is never closed", "Add the missing '" + closer + "'.");
        }
        reported.add(eof.getStartIndex());
    }

    private static String position(Token t) {
        return t.getLine() + ":" + (t.getCharPositionInLine() + 1);
    }

    private static int endLine(Token t) {
        int line = t.getLine();
        String text = t.getText();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean isCloser(int type) {
        return type == ImmLexer.RBRACE || type == ImmLexer.RBRACKET || type == ImmLexer.RPAREN;
    }

    private static boolean isInsideText(int type) {
        return type == ImmLexer.HEREDOC_TEXT || type == ImmLexer.HEREDOC_NEWLINE || type == ImmLexer.HEREDOC_END
                || type == ImmLexer.HEREDOC_DOLLAR_ESCAPE || type == ImmLexer.HEREDOC_INTERP;
    }

    private static boolean closes(int closer, int opener) {
        switch (closer) {
            case ImmLexer.RBRACE:
                return opener == ImmLexer.LBRACE || opener == ImmLexer.STRING_INTERP || opener == ImmLexer.HEREDOC_INTERP;
            case ImmLexer.RBRACKET:
                return opener == ImmLexer.LBRACKET;
            default:
                return opener == ImmLexer.LPAREN;
        }
    }

    private static String openText(Token opener) {
        return opener.getText();
    }

    private static String closerFor(int opener) {
        return opener == ImmLexer.LBRACKET ? "]" : opener == ImmLexer.LPAREN ? ")" : "}";
    }

    private static String openerFor(int closer) {
        return closer == ImmLexer.RBRACKET ? "[" : closer == ImmLexer.RPAREN ? "(" : "{";
    }
}
