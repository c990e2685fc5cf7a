package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.SourceRange;
import dev.imm.lang.antlr.ImmLexer;
import dev.imm.lang.antlr.ImmParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns the parser's first error in a region into a diagnostic in the user's terms: what was expected,
 * where, and in which block, instead of ANTLR's token sets.
 */
final class SyntaxErrors {
    private final Ranges ranges;

    SyntaxErrors(Ranges ranges) {
        this.ranges = ranges;
    }

    /**
     * @param found the token the parser stopped at (for a region's end, the token that follows the region)
     */
    Diagnostic translate(RecognitionException e, Token found, TokenStream stream) {
        ParserRuleContext ctx = (ParserRuleContext) e.getCtx();
        IntervalSet expected = expectedTokens(e);
        Token previous = previousToken(stream, e.getOffendingToken());
        SourceRange at = ranges.of(found);
        String what = describe(found);

        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c instanceof ImmParser.BlockContext block) {
                return inBlock(block, found, what, at);
            }
            if (c instanceof ImmParser.BodyItemContext) {
                String name = c.getStart().getText();
                Token afterFound = nextToken(stream, found);
                if (found.getType() == ImmLexer.MINUS && afterFound != null && afterFound.getType() == ImmLexer.IDENT
                        && afterFound.getStartIndex() == found.getStopIndex() + 1) {
                    return Diagnostic.error(at, "names cannot contain '-'")
                            .withHint("use '_' instead: " + name + "_" + afterFound.getText());
                }
                return Diagnostic.error(at, "expected '=' or '{' after \"" + name + "\", found " + what)
                        .withHint("an attribute is written " + name + " = value, a block " + name + " { ... }");
            }
            if (c instanceof ImmParser.ImportDeclContext) {
                return Diagnostic.error(at, "expected a quoted path after import, found " + what)
                        .withHint("as in: import \"std/rollouts\"");
            }
            if (c instanceof ImmParser.ConfigFileContext) {
                return Diagnostic.error(at, "unexpected " + what)
                        .withHint("expected a block, an attribute or an import");
            }
            if (needsExpression(c, previous, expected)) {
                return Diagnostic.error(at, "expected an expression" + after(previous) + ", found " + what)
                        .withHint(expressionHint(found, nextToken(stream, found)));
            }
            String closing = closingMessage(c, expected);
            if (closing != null) {
                return Diagnostic.error(at, closing + ", found " + what).withHint(closingHint(c, expected));
            }
        }
        return Diagnostic.error(at, "unexpected " + what).withHint("expected " + list(expected));
    }

    private Diagnostic inBlock(ImmParser.BlockContext block, Token found, String what, SourceRange at) {
        String type = block.type.getText();
        List<ImmParser.StringLitContext> labels = block.stringLit();
        if (block.LBRACE() == null) {
            if (labels.size() == 1 && found.getLine() != labels.get(0).getStop().getLine()) {
                SourceRange afterLabel = ranges.of(labels.get(0));
                return Diagnostic.error(afterLabel, "expected '=' or '{' after \"" + type + "\" "
                                + labels.get(0).getText())
                        .withHint("did you mean " + type + " = " + labels.get(0).getText() + "?")
                        .withDetail("An attribute is written name = value; a block is a name, labels and { ... }.");
            }
            return Diagnostic.error(at, "expected '{' after the labels of block \"" + type + "\", found " + what)
                    .withHint("a block's labels are followed by '{'");
        }
        ImmParser.AttributeContext valueless = attributeMissingValue(block, found);
        if (valueless != null) {
            return Diagnostic.error(ranges.of(valueless.ASSIGN().getSymbol()),
                            "expected a value after '=' in \"" + valueless.name.getText() + "\"")
                    .withHint("the value is missing here")
                    .withDetail("The next line's name was read as the value, and its '=' is out of place.");
        }
        String hint;
        switch (found.getType()) {
            case ImmLexer.COMMA:
                hint = "attributes are separated by newlines or spaces, not ','";
                break;
            case ImmLexer.COLON:
                hint = "an attribute is written name = value";
                break;
            default:
                hint = "expected an attribute (name = value), a nested block or '}'";
        }
        return Diagnostic.error(at, "unexpected " + what + " in block \"" + type + "\"").withHint(hint);
    }

    /**
     * The attribute whose value is missing when {@code found} is an '=' right after an attribute whose
     * "value" is a bare name on the next line: {@code min =} followed by {@code max = 12}.
     */
    private static ImmParser.AttributeContext attributeMissingValue(ImmParser.BlockContext block, Token found) {
        if (found.getType() != ImmLexer.ASSIGN) {
            return null;
        }
        ImmParser.AttributeContext last = null;
        for (ImmParser.BodyItemContext item : block.bodyItem()) {
            if (item.getStop() != null && item.getStop().getStartIndex() < found.getStartIndex()) {
                last = item.attribute();
            }
        }
        if (last == null || last.expr() == null) {
            return null;
        }
        boolean valueOnLaterLine = last.expr().getStart().getLine() > last.ASSIGN().getSymbol().getLine();
        return valueOnLaterLine && last.expr() instanceof ImmParser.PrimaryExprContext ? last : null;
    }

    /**
     * Whether the parser stopped where an expression must start: right after '=', an operator, an opening
     * bracket, a comma and the like. After a complete expression the problem is what follows it, and the
     * enclosing list, call or block says best what was expected.
     */
    private static boolean needsExpression(ParserRuleContext c, Token previous, IntervalSet expected) {
        boolean exprRule = c instanceof ImmParser.ExprContext || c instanceof ImmParser.PrimaryContext;
        boolean expectsExpression = exprRule || (expected != null && expected.contains(ImmLexer.NUMBER)
                && expected.contains(ImmLexer.IDENT) && expected.contains(ImmLexer.LBRACKET));
        return expectsExpression && previous != null && precedesExpression(previous.getType());
    }

    private static boolean precedesExpression(int type) {
        switch (type) {
            case ImmLexer.ASSIGN: case ImmLexer.PLUS: case ImmLexer.MINUS: case ImmLexer.STAR: case ImmLexer.SLASH:
            case ImmLexer.EQ: case ImmLexer.NEQ: case ImmLexer.LT: case ImmLexer.LE: case ImmLexer.GT: case ImmLexer.GE:
            case ImmLexer.AND: case ImmLexer.OR: case ImmLexer.NOT: case ImmLexer.QUESTION: case ImmLexer.COLON:
            case ImmLexer.ARROW: case ImmLexer.COMMA: case ImmLexer.LPAREN: case ImmLexer.LBRACKET: case ImmLexer.LBRACE:
            case ImmLexer.STRING_INTERP: case ImmLexer.HEREDOC_INTERP: case ImmLexer.IN: case ImmLexer.IF:
                return true;
            default:
                return false;
        }
    }

    private static String expressionHint(Token found, Token afterFound) {
        if (found.getType() == ImmLexer.LT && afterFound != null && afterFound.getType() == ImmLexer.LT) {
            return "a heredoc's marker ends its line, as in <<EOT; start the text on the next line";
        }
        switch (found.getType()) {
            case ImmLexer.RBRACE:
            case ImmLexer.RBRACKET:
            case ImmLexer.RPAREN:
            case Token.EOF:
                return "a value is missing here";
            case ImmLexer.ASSIGN:
                return "did you mean '=='?";
            default:
                return "this cannot start an expression";
        }
    }

    private static String closingMessage(ParserRuleContext c, IntervalSet expected) {
        if (c instanceof ImmParser.CallExprContext call) {
            return "expected ',' or ')' in the call to \"" + call.name.getText() + "\"";
        }
        if (c instanceof ImmParser.ListExprContext) {
            return "expected ',' or ']' in the list";
        }
        if (c instanceof ImmParser.ObjectItemContext item) {
            return "expected '=' after the key " + item.getStart().getText();
        }
        if (c instanceof ImmParser.ObjectExprContext) {
            return "expected another key or '}' in the object";
        }
        if (c instanceof ImmParser.ForListExprContext || c instanceof ImmParser.ForObjectExprContext
                || c instanceof ImmParser.ForVarsContext) {
            return "expected " + list(expected) + " in the 'for' expression";
        }
        if (c instanceof ImmParser.ParenExprContext) {
            return "expected ')' to close the parenthesis";
        }
        if (c instanceof ImmParser.IndexExprContext) {
            return "expected ']' after the index";
        }
        if (c instanceof ImmParser.ConditionalExprContext) {
            return "expected ':' in the conditional expression";
        }
        return null;
    }

    private static String closingHint(ParserRuleContext c, IntervalSet expected) {
        if (c instanceof ImmParser.CallExprContext || c instanceof ImmParser.ListExprContext) {
            return "separate items with ','";
        }
        if (c instanceof ImmParser.IndexExprContext) {
            return "is a ',' missing before the '['?";
        }
        if (c instanceof ImmParser.ObjectItemContext) {
            return "an object item is written key = value";
        }
        if (c instanceof ImmParser.ConditionalExprContext) {
            return "a conditional is written cond ? a : b";
        }
        if (c instanceof ImmParser.ForListExprContext) {
            return "as in: [for x in xs : upper(x)]";
        }
        if (c instanceof ImmParser.ForObjectExprContext) {
            return "as in: {for k, v in m : k => v}";
        }
        return "expected " + list(expected);
    }

    private static IntervalSet expectedTokens(RecognitionException e) {
        try {
            return e.getExpectedTokens();
        } catch (RuntimeException notComputable) {
            return null;
        }
    }

    private static Token previousToken(TokenStream stream, Token offending) {
        if (offending == null) {
            return null;
        }
        for (int i = offending.getTokenIndex() - 1; i >= 0; i--) {
            Token t = stream.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t;
            }
        }
        return null;
    }

    private static Token nextToken(TokenStream stream, Token token) {
        if (stream instanceof org.antlr.v4.runtime.BufferedTokenStream buffered) {
            buffered.fill();
        }
        for (int i = token.getTokenIndex() + 1; i < stream.size(); i++) {
            Token t = stream.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) {
                return t;
            }
        }
        return null;
    }

    private static String after(Token previous) {
        return previous == null ? "" : " after '" + previous.getText() + "'";
    }

    /** A token as the user would name it: {@code '}'}, {@code end of file}, {@code a string}. */
    static String describe(Token t) {
        switch (t.getType()) {
            case Token.EOF:
                return "end of file";
            case ImmLexer.QUOTE:
                return "a string";
            case ImmLexer.HEREDOC_START:
                return "a heredoc";
            default:
                return "'" + t.getText() + "'";
        }
    }

    private static String list(IntervalSet expected) {
        if (expected == null || expected.isNil()) {
            return "something else";
        }
        List<String> names = new ArrayList<>();
        boolean expression = expected.contains(ImmLexer.NUMBER) && expected.contains(ImmLexer.IDENT);
        if (expression) {
            names.add("an expression");
        }
        for (int type : expected.toArray()) {
            if (expression && startsExpression(type)) {
                continue;
            }
            names.add(tokenName(type));
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static boolean startsExpression(int type) {
        switch (type) {
            case ImmLexer.NUMBER: case ImmLexer.DURATION: case ImmLexer.PERCENT: case ImmLexer.TRUE:
            case ImmLexer.FALSE: case ImmLexer.NULL: case ImmLexer.QUOTE: case ImmLexer.HEREDOC_START:
            case ImmLexer.IDENT: case ImmLexer.LBRACKET: case ImmLexer.LBRACE: case ImmLexer.LPAREN:
            case ImmLexer.NOT: case ImmLexer.MINUS:
                return true;
            default:
                return false;
        }
    }

    private static String tokenName(int type) {
        switch (type) {
            case Token.EOF: return "end of file";
            case ImmLexer.IDENT: return "a name";
            case ImmLexer.QUOTE: return "a string";
            case ImmLexer.NUMBER: return "a number";
            case ImmLexer.FOR: return "'for'";
            case ImmLexer.IN: return "'in'";
            case ImmLexer.IF: return "'if'";
            default:
                String literal = ImmLexer.VOCABULARY.getLiteralName(type);
                return literal != null ? literal : ImmLexer.VOCABULARY.getSymbolicName(type);
        }
    }
}
