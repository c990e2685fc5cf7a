package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceRange;
import dev.imm.lang.antlr.ImmLexer;
import dev.imm.lang.antlr.ImmParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the immutable syntax tree from ANTLR's parse tree. The only place that reads generated
 * {@code *Context} types. It reports the few rules the grammar leaves loose on purpose: labels and import
 * paths must be plain strings, and an import alias is spelled {@code as NAME}.
 */
final class AstBuilder {
    private final Ranges ranges;
    private final Diagnostics diagnostics;

    AstBuilder(Ranges ranges, Diagnostics diagnostics) {
        this.ranges = ranges;
        this.diagnostics = diagnostics;
    }

    void addItems(ImmParser.ConfigFileContext file, List<Import> imports, List<BodyItem> items) {
        for (ParseTree child : file.children) {
            if (child instanceof ImmParser.ImportDeclContext i) {
                Import built = importDecl(i);
                if (built != null) {
                    imports.add(built);
                }
            } else if (child instanceof ImmParser.BodyItemContext b) {
                items.add(bodyItem(b));
            }
        }
    }

    private Import importDecl(ImmParser.ImportDeclContext ctx) {
        SourceRange pathRange = ranges.of(ctx.path);
        Expr.Template path = string(ctx.path);
        String text = path.literalText();
        if (text == null) {
            diagnostics.add(Diagnostic.error(pathRange, "an import path cannot use interpolation")
                    .withHint("write the path as a plain string")
                    .withDetail("Imports are resolved before anything is evaluated, so their paths must be literal."));
            return null;
        }
        String alias = null;
        SourceRange aliasRange = null;
        if (ctx.first != null) {
            boolean spelledAs = ctx.first.getText().equals("as");
            if (spelledAs && ctx.second != null) {
                alias = ctx.second.getText();
                aliasRange = ranges.of(ctx.second);
            } else if (spelledAs) {
                diagnostics.add(Diagnostic.error(ranges.of(ctx.first), "expected a name after 'as'")
                        .withHint("name the import, as in: import \"" + text + "\" as shared"));
                return null;
            } else {
                diagnostics.add(Diagnostic.error(ranges.of(ctx.first), "expected 'as' before the import's name")
                        .withHint("write: as " + ctx.first.getText()));
                return null;
            }
        }
        return new Import(text, pathRange, alias, aliasRange, ranges.of(ctx));
    }

    private BodyItem bodyItem(ImmParser.BodyItemContext ctx) {
        return ctx.attribute() != null ? attribute(ctx.attribute()) : block(ctx.block());
    }

    private Attribute attribute(ImmParser.AttributeContext ctx) {
        return new Attribute(ctx.name.getText(), ranges.of(ctx.name), expr(ctx.expr()), ranges.of(ctx));
    }

    private Block block(ImmParser.BlockContext ctx) {
        List<Block.Label> labels = new ArrayList<>();
        for (ImmParser.StringLitContext labelCtx : ctx.stringLit()) {
            Expr.Template label = string(labelCtx);
            String text = label.literalText();
            if (text == null) {
                diagnostics.add(Diagnostic.error(ranges.of(labelCtx), "a block label cannot use interpolation")
                        .withHint("write the label as a plain string")
                        .withDetail("Labels name blocks and become part of their addresses, so they must be literal."
                                + " Use for_each to declare one block per value."));
                text = "";
            }
            labels.add(new Block.Label(text, ranges.of(labelCtx)));
        }
        List<BodyItem> body = new ArrayList<>();
        for (ImmParser.BodyItemContext item : ctx.bodyItem()) {
            body.add(bodyItem(item));
        }
        return new Block(ctx.type.getText(), ranges.of(ctx.type), labels, body, ranges.of(ctx));
    }

    Expr expr(ImmParser.ExprContext ctx) {
        SourceRange range = ranges.of(ctx);
        if (ctx instanceof ImmParser.PrimaryExprContext p) {
            return primary(p.primary());
        }
        if (ctx instanceof ImmParser.GetAttrExprContext g) {
            return new Expr.GetAttr(expr(g.expr()), g.IDENT().getText(), ranges.of(g.IDENT().getSymbol()), range);
        }
        if (ctx instanceof ImmParser.IndexExprContext i) {
            return new Expr.Index(expr(i.expr(0)), expr(i.expr(1)), range);
        }
        if (ctx instanceof ImmParser.UnaryExprContext u) {
            Operator op = u.op.getType() == ImmLexer.NOT ? Operator.NOT : Operator.NEGATE;
            return new Expr.Unary(op, expr(u.expr()), range);
        }
        if (ctx instanceof ImmParser.BinaryExprContext b) {
            return new Expr.Binary(binaryOperator(b.op), expr(b.expr(0)), expr(b.expr(1)), ranges.of(b.op), range);
        }
        ImmParser.ConditionalExprContext c = (ImmParser.ConditionalExprContext) ctx;
        return new Expr.Conditional(expr(c.expr(0)), expr(c.expr(1)), expr(c.expr(2)), range);
    }

    private static Operator binaryOperator(Token op) {
        switch (op.getType()) {
            case ImmLexer.STAR: return Operator.MULTIPLY;
            case ImmLexer.SLASH: return Operator.DIVIDE;
            case ImmLexer.PLUS: return Operator.ADD;
            case ImmLexer.MINUS: return Operator.SUBTRACT;
            case ImmLexer.LT: return Operator.LESS;
            case ImmLexer.LE: return Operator.LESS_EQUAL;
            case ImmLexer.GT: return Operator.GREATER;
            case ImmLexer.GE: return Operator.GREATER_EQUAL;
            case ImmLexer.EQ: return Operator.EQUAL;
            case ImmLexer.NEQ: return Operator.NOT_EQUAL;
            case ImmLexer.AND: return Operator.AND;
            case ImmLexer.OR: return Operator.OR;
            default: throw new IllegalStateException("not a binary operator: " + op.getText());
        }
    }

    private Expr primary(ImmParser.PrimaryContext ctx) {
        SourceRange range = ranges.of(ctx);
        if (ctx instanceof ImmParser.LiteralExprContext l) {
            return new Expr.Literal(literalKind(l.literal), l.literal.getText(), range);
        }
        if (ctx instanceof ImmParser.StringExprContext s) {
            return string(s.stringLit());
        }
        if (ctx instanceof ImmParser.HeredocExprContext h) {
            return heredoc(h.heredoc());
        }
        if (ctx instanceof ImmParser.CallExprContext c) {
            return new Expr.Call(c.name.getText(), ranges.of(c.name), exprs(c.expr()), range);
        }
        if (ctx instanceof ImmParser.VariableExprContext v) {
            return new Expr.Variable(v.name.getText(), range);
        }
        if (ctx instanceof ImmParser.ForListExprContext f) {
            ForVars vars = forVars(f.forVars());
            List<ImmParser.ExprContext> e = f.expr();
            return new Expr.ForList(vars.key, vars.value, expr(e.get(0)), expr(e.get(1)),
                    f.IF() != null ? expr(e.get(2)) : null, range);
        }
        if (ctx instanceof ImmParser.ForObjectExprContext f) {
            ForVars vars = forVars(f.forVars());
            List<ImmParser.ExprContext> e = f.expr();
            return new Expr.ForObject(vars.key, vars.value, expr(e.get(0)), expr(e.get(1)), expr(e.get(2)),
                    f.IF() != null ? expr(e.get(3)) : null, range);
        }
        if (ctx instanceof ImmParser.ListExprContext l) {
            return new Expr.ListLiteral(exprs(l.expr()), range);
        }
        if (ctx instanceof ImmParser.ObjectExprContext o) {
            List<ObjectItem> items = new ArrayList<>();
            for (ImmParser.ObjectItemContext item : o.objectItem()) {
                Expr key = item.IDENT() != null
                        ? new Expr.Variable(item.IDENT().getText(), ranges.of(item.IDENT().getSymbol()))
                        : string(item.stringLit());
                items.add(new ObjectItem(key, expr(item.expr()), ranges.of(item)));
            }
            return new Expr.ObjectLiteral(items, range);
        }
        ImmParser.ParenExprContext p = (ImmParser.ParenExprContext) ctx;
        return new Expr.Parens(expr(p.expr()), range);
    }

    private record ForVars(String key, String value) {
    }

    private static ForVars forVars(ImmParser.ForVarsContext ctx) {
        return ctx.second == null
                ? new ForVars(null, ctx.first.getText())
                : new ForVars(ctx.first.getText(), ctx.second.getText());
    }

    private List<Expr> exprs(List<ImmParser.ExprContext> contexts) {
        List<Expr> result = new ArrayList<>(contexts.size());
        for (ImmParser.ExprContext e : contexts) {
            result.add(expr(e));
        }
        return result;
    }

    private static LiteralKind literalKind(Token token) {
        switch (token.getType()) {
            case ImmLexer.NUMBER: return LiteralKind.NUMBER;
            case ImmLexer.DURATION: return LiteralKind.DURATION;
            case ImmLexer.PERCENT: return LiteralKind.PERCENT;
            case ImmLexer.NULL: return LiteralKind.NULL;
            default: return LiteralKind.BOOL;
        }
    }

    private Expr.Template string(ImmParser.StringLitContext ctx) {
        TemplateParts parts = new TemplateParts();
        for (ImmParser.StringPartContext part : ctx.stringPart()) {
            Token token = part.getStart();
            switch (token.getType()) {
                case ImmLexer.STRING_TEXT:
                    parts.text(token.getText(), ranges.of(token));
                    break;
                case ImmLexer.STRING_ESCAPE:
                    parts.text(Escapes.decode(token.getText()), ranges.of(token));
                    break;
                case ImmLexer.STRING_DOLLAR_ESCAPE:
                    parts.text("${", ranges.of(token));
                    break;
                default:
                    parts.interpolation(expr(part.expr()), ranges.of(part));
            }
        }
        return new Expr.Template(parts.build(), ranges.of(ctx));
    }

    Expr.Template templateFile(ImmParser.TemplateFileContext ctx) {
        TemplateParts parts = new TemplateParts();
        for (ImmParser.HeredocPartContext part : ctx.heredocPart()) {
            Token token = part.getStart();
            switch (token.getType()) {
                case ImmLexer.HEREDOC_TEXT:
                    parts.text(token.getText(), ranges.of(token));
                    break;
                case ImmLexer.HEREDOC_NEWLINE:
                    parts.text("\n", ranges.of(token));
                    break;
                case ImmLexer.HEREDOC_DOLLAR_ESCAPE:
                    parts.text("${", ranges.of(token));
                    break;
                default:
                    parts.interpolation(expr(part.expr()), ranges.of(part));
            }
        }
        return new Expr.Template(parts.build(), ranges.of(ctx));
    }

    private Expr.Heredoc heredoc(ImmParser.HeredocContext ctx) {
        String start = ctx.HEREDOC_START().getText();
        boolean indented = start.startsWith("<<-");
        String marker = start.substring(indented ? 3 : 2).strip();
        List<List<TemplatePart>> lines = new ArrayList<>();
        TemplateParts line = new TemplateParts();
        for (ImmParser.HeredocPartContext part : ctx.heredocPart()) {
            Token token = part.getStart();
            switch (token.getType()) {
                case ImmLexer.HEREDOC_TEXT:
                    line.text(token.getText(), ranges.of(token));
                    break;
                case ImmLexer.HEREDOC_DOLLAR_ESCAPE:
                    line.text("${", ranges.of(token));
                    break;
                case ImmLexer.HEREDOC_NEWLINE:
                    line.text("\n", ranges.of(token));
                    lines.add(line.build());
                    line = new TemplateParts();
                    break;
                default:
                    line.interpolation(expr(part.expr()), ranges.of(part));
            }
        }
        lines.add(line.build());
        if (indented) {
            lines = HeredocIndent.strip(lines);
        }
        TemplateParts all = new TemplateParts();
        for (List<TemplatePart> l : lines) {
            for (TemplatePart p : l) {
                all.add(p);
            }
        }
        return new Expr.Heredoc(marker, indented, all.build(), ranges.of(ctx));
    }

    /** Collects template parts, joining neighbouring texts into one. */
    static final class TemplateParts {
        private final List<TemplatePart> parts = new ArrayList<>();

        void text(String text, SourceRange range) {
            if (text.isEmpty()) {
                return;
            }
            int last = parts.size() - 1;
            if (last >= 0 && parts.get(last) instanceof TemplatePart.Text previous) {
                parts.set(last, new TemplatePart.Text(previous.text() + text, previous.range().to(range)));
            } else {
                parts.add(new TemplatePart.Text(text, range));
            }
        }

        void interpolation(Expr expr, SourceRange range) {
            parts.add(new TemplatePart.Interpolation(expr, range));
        }

        void add(TemplatePart part) {
            if (part instanceof TemplatePart.Text t) {
                text(t.text(), t.range());
            } else {
                parts.add(part);
            }
        }

        List<TemplatePart> build() {
            return List.copyOf(parts);
        }
    }

}
