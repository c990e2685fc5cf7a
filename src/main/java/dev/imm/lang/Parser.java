package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.lang.antlr.ImmLexer;
import dev.imm.lang.antlr.ImmParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The only way into the syntax of the language: text in, syntax tree and diagnostics out. No generated
 * parser type leaves this package.
 *
 * <p>A valid file is parsed in one pass (SLL prediction, falling back to full LL). When that fails, the
 * file is cut into regions at the lines where a top-level item starts and each region is parsed alone, so
 * a mistake in one block does not hide the mistakes in the others, and the regions that parse still give
 * their items to the tree.
 */
public final class Parser {
    private Parser() {
    }

    /**
     * Loads the grammar's tables, which the first parse would otherwise load (ANTLR's lexer and parser
     * automata, a few milliseconds): for a caller with a core to spare before it parses.
     */
    public static void prepare() {
        java.util.Objects.requireNonNull(ImmLexer._ATN);
        java.util.Objects.requireNonNull(ImmParser._ATN);
    }

    public static ParseResult parse(SourceFile source) {
        Ranges ranges = new Ranges(source.path());
        Diagnostics diagnostics = new Diagnostics();
        List<Token> tokens = Lexing.antlrTokens(source);
        TokenChecks checks = new TokenChecks(ranges, diagnostics);
        checks.check(tokens);

        AstBuilder builder = new AstBuilder(ranges, diagnostics);
        List<Import> imports = new ArrayList<>();
        List<BodyItem> items = new ArrayList<>();
        Token last = tokens.get(tokens.size() - 1);
        if (checks.tooDeep()) {
            // parsing recurses once per level: such a file is refused, not parsed
            return new ParseResult(new ConfigFile(source.path(), imports, items, ranges.between(tokens.get(0), last)),
                    diagnostics.sorted());
        }
        ImmParser.ConfigFileContext whole = parseWhole(tokens);
        List<Integer> regionErrors = new ArrayList<>();
        List<List<Token>> regions = List.of(tokens);
        if (whole != null) {
            builder.addItems(whole, imports, items);
        } else {
            SyntaxErrors errors = new SyntaxErrors(ranges);
            regions = Regions.split(tokens);
            for (int i = 0; i < regions.size(); i++) {
                List<Token> region = regions.get(i);
                Token next = i + 1 < regions.size() ? firstVisible(regions.get(i + 1)) : tokens.get(tokens.size() - 1);
                regionErrors.add(parseRegion(region, next, checks, errors, builder, diagnostics, imports, items));
            }
        }
        addBracketProblems(checks, regions, regionErrors, diagnostics);
        Token eof = tokens.get(tokens.size() - 1);
        ConfigFile file = new ConfigFile(source.path(), imports, items, ranges.between(tokens.get(0), eof));
        return new ParseResult(file, diagnostics.sorted());
    }

    /** An expression or template parsed from text of its own, with its diagnostics (null on errors). */
    public record ExprResult(Expr expr, List<Diagnostic> diagnostics) {
    }

    /** Parses text that holds one expression, such as a value given with -var. */
    public static ExprResult parseExpression(SourceFile source) {
        return parseAlone(source, false);
    }

    /** Parses a template file: text with ${...} interpolations and $${ escapes, as templatefile() reads it. */
    public static ExprResult parseTemplate(SourceFile source) {
        return parseAlone(source, true);
    }

    private static ExprResult parseAlone(SourceFile source, boolean template) {
        Ranges ranges = new Ranges(source.path());
        Diagnostics diagnostics = new Diagnostics();
        List<Token> tokens = Lexing.antlrTokens(source, template);
        TokenChecks checks = new TokenChecks(ranges, diagnostics);
        checks.check(tokens);
        for (TokenChecks.BracketProblem problem : checks.bracketProblems()) {
            diagnostics.add(problem.diagnostic());
        }
        if (checks.tooDeep()) {
            return new ExprResult(null, diagnostics.sorted());
        }
        CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens));
        ImmParser parser = bailingParser(stream);
        AstBuilder builder = new AstBuilder(ranges, diagnostics);
        Expr expr = null;
        try {
            expr = template ? builder.templateFile(parser.templateFile()) : builder.expr(parser.exprFile().expr());
        } catch (ParseCancellationException cancelled) {
            RecognitionException e = (RecognitionException) cancelled.getCause();
            Token found = e.getOffendingToken() != null ? e.getOffendingToken() : tokens.get(tokens.size() - 1);
            if (!checks.isReported(found) && !(found.getType() == Token.EOF && checks.unfinishedAtEnd())) {
                diagnostics.add(new SyntaxErrors(ranges).translate(e, found, stream));
            }
        }
        return new ExprResult(diagnostics.hasErrors() ? null : expr, diagnostics.sorted());
    }

    /** Parses the whole file, or returns null at its first syntax error. */
    private static ImmParser.ConfigFileContext parseWhole(List<Token> tokens) {
        CommonTokenStream stream = new CommonTokenStream(new ListTokenSource(tokens));
        ImmParser parser = bailingParser(stream);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        try {
            return parser.configFile();
        } catch (ParseCancellationException sllFailed) {
            stream.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            try {
                return parser.configFile();
            } catch (ParseCancellationException syntaxError) {
                return null;
            }
        }
    }

    /**
     * Parses one region; its items join the tree when it parses. Returns the offset of the syntax error
     * reported for it, or -1.
     */
    private static int parseRegion(List<Token> region, Token next, TokenChecks checks, SyntaxErrors errors,
                                   AstBuilder builder, Diagnostics diagnostics, List<Import> imports,
                                   List<BodyItem> items) {
        TokenStream stream = new CommonTokenStream(new ListTokenSource(region));
        ImmParser parser = bailingParser(stream);
        try {
            builder.addItems(parser.configFile(), imports, items);
            return -1;
        } catch (ParseCancellationException cancelled) {
            RecognitionException e = (RecognitionException) cancelled.getCause();
            Token offending = e.getOffendingToken();
            Token found = offending == null || offending.getType() == Token.EOF ? next : offending;
            boolean atEnd = found.getType() == Token.EOF;
            if (checks.isReported(found) || (atEnd && checks.unfinishedAtEnd()) || reportedBefore(region, found, checks)) {
                return -1;
            }
            diagnostics.add(errors.translate(e, found, stream));
            return found.getStartIndex();
        }
    }

    /**
     * Adds the bracket problems the token checks held back, except those in a region whose syntax error
     * comes first: that error already names the cause ("expected ',' or ']' in the list") and the wrong
     * closer further on is its consequence.
     */
    private static void addBracketProblems(TokenChecks checks, List<List<Token>> regions, List<Integer> regionErrors,
                                           Diagnostics diagnostics) {
        for (TokenChecks.BracketProblem problem : checks.bracketProblems()) {
            boolean explained = false;
            for (int i = 0; i < regionErrors.size(); i++) {
                int errorAt = regionErrors.get(i);
                List<Token> region = regions.get(i);
                int regionEnd = region.get(region.size() - 1).getStopIndex();
                if (errorAt >= 0 && errorAt < problem.offset() && problem.offset() <= regionEnd) {
                    explained = true;
                    break;
                }
            }
            if (!explained) {
                diagnostics.add(problem.diagnostic());
            }
        }
    }

    /**
     * Whether a lexical problem was already reported in the region before the parser's error: the parser
     * then stumbles over its consequences (a cut string, a bad character), which are not new mistakes.
     */
    private static boolean reportedBefore(List<Token> region, Token found, TokenChecks checks) {
        for (Token t : region) {
            if (t.getStartIndex() >= found.getStartIndex() && found.getType() != Token.EOF) {
                break;
            }
            if (checks.isReported(t)) {
                return true;
            }
        }
        return false;
    }

    private static Token firstVisible(List<Token> region) {
        for (Token t : region) {
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t;
            }
        }
        return region.get(0);
    }

    private static ImmParser bailingParser(TokenStream stream) {
        ImmParser parser = new ImmParser(stream);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        return parser;
    }

    /** Cuts a token list into regions that each start where a top-level item starts a line. */
    static final class Regions {
        private Regions() {
        }

        static List<List<Token>> split(List<Token> tokens) {
            List<List<Token>> regions = new ArrayList<>();
            List<Token> current = new ArrayList<>();
            int depth = 0;
            int previousEndLine = 0;
            for (Token t : tokens) {
                if (t.getType() == Token.EOF) {
                    break;
                }
                if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                    boolean startsLine = t.getLine() > previousEndLine;
                    if (depth == 0 && startsLine && hasVisible(current)) {
                        regions.add(current);
                        current = new ArrayList<>();
                    }
                    depth = Math.max(0, depth + nesting(t.getType()));
                    previousEndLine = t.getLine() + newlines(t.getText());
                }
                current.add(t);
            }
            regions.add(current);
            return regions;
        }

        private static boolean hasVisible(List<Token> tokens) {
            for (Token t : tokens) {
                if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                    return true;
                }
            }
            return false;
        }

        private static int nesting(int type) {
            switch (type) {
                case ImmLexer.LBRACE: case ImmLexer.LBRACKET: case ImmLexer.LPAREN:
                case ImmLexer.STRING_INTERP: case ImmLexer.HEREDOC_INTERP:
                case ImmLexer.QUOTE: case ImmLexer.HEREDOC_START:
                    return 1;
                case ImmLexer.RBRACE: case ImmLexer.RBRACKET: case ImmLexer.RPAREN:
                case ImmLexer.STRING_END: case ImmLexer.STRING_UNTERMINATED: case ImmLexer.HEREDOC_END:
                    return -1;
                default:
                    return 0;
            }
        }

        private static int newlines(String text) {
            int n = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    n++;
                }
            }
            return n;
        }
    }
}
