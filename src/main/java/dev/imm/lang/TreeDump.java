package dev.imm.lang;

import java.util.List;

/**
 * Writes a syntax tree as an indented S-expression without source ranges, so that two trees are equal in
 * structure exactly when their dumps are equal. Snippet tests compare these dumps; precedence and
 * associativity show as nesting: {@code 1 + 2 * 3} is {@code (+ 1 (* 2 3))}.
 */
public final class TreeDump {
    private final StringBuilder out = new StringBuilder();

    private TreeDump() {
    }

    public static String of(ConfigFile file) {
        TreeDump dump = new TreeDump();
        for (Import i : file.imports()) {
            dump.out.append("(import ").append(quoted(i.path()));
            if (i.alias() != null) {
                dump.out.append(" as ").append(i.alias());
            }
            dump.out.append(")\n");
        }
        dump.items(file.items(), 0);
        return dump.out.toString();
    }

    public static String of(Expr expr) {
        TreeDump dump = new TreeDump();
        dump.expr(expr);
        return dump.out.toString();
    }

    private void items(List<BodyItem> items, int depth) {
        for (BodyItem item : items) {
            out.append("  ".repeat(depth));
            if (item instanceof Attribute a) {
                out.append("(= ").append(a.name()).append(' ');
                expr(a.value());
                out.append(")\n");
            } else {
                Block b = (Block) item;
                out.append("(block ").append(b.type());
                for (Block.Label label : b.labels()) {
                    out.append(' ').append(quoted(label.value()));
                }
                if (b.body().isEmpty()) {
                    out.append(")\n");
                } else {
                    out.append('\n');
                    items(b.body(), depth + 1);
                    out.append("  ".repeat(depth)).append(")\n");
                }
            }
        }
    }

    private void expr(Expr e) {
        if (e instanceof Expr.Literal l) {
            out.append(l.text());
        } else if (e instanceof Expr.Template t) {
            template("str", t.parts());
        } else if (e instanceof Expr.Heredoc h) {
            template(h.indented() ? "heredoc- " + h.marker() : "heredoc " + h.marker(), h.parts());
        } else if (e instanceof Expr.Variable v) {
            out.append(v.name());
        } else if (e instanceof Expr.GetAttr g) {
            open(".");
            expr(g.object());
            out.append(' ').append(g.name()).append(')');
        } else if (e instanceof Expr.Index i) {
            open("[]");
            expr(i.collection());
            out.append(' ');
            expr(i.key());
            out.append(')');
        } else if (e instanceof Expr.Call c) {
            open("call " + c.name());
            for (Expr arg : c.args()) {
                out.append(' ');
                expr(arg);
            }
            out.append(')');
        } else if (e instanceof Expr.Unary u) {
            open(u.op() == Operator.NEGATE ? "neg" : "!");
            expr(u.operand());
            out.append(')');
        } else if (e instanceof Expr.Binary b) {
            open(b.op().symbol());
            expr(b.left());
            out.append(' ');
            expr(b.right());
            out.append(')');
        } else if (e instanceof Expr.Conditional c) {
            open("?");
            expr(c.condition());
            out.append(' ');
            expr(c.whenTrue());
            out.append(' ');
            expr(c.whenFalse());
            out.append(')');
        } else if (e instanceof Expr.ListLiteral l) {
            out.append('[');
            for (int i = 0; i < l.items().size(); i++) {
                out.append(i == 0 ? "" : " ");
                expr(l.items().get(i));
            }
            out.append(']');
        } else if (e instanceof Expr.ObjectLiteral o) {
            out.append('{');
            for (int i = 0; i < o.items().size(); i++) {
                ObjectItem item = o.items().get(i);
                out.append(i == 0 ? "" : " ");
                expr(item.key());
                out.append('=');
                expr(item.value());
            }
            out.append('}');
        } else if (e instanceof Expr.ForList f) {
            open("for-list " + vars(f.keyVar(), f.valueVar()));
            expr(f.collection());
            out.append(' ');
            expr(f.value());
            condition(f.condition());
            out.append(')');
        } else if (e instanceof Expr.ForObject f) {
            open("for-map " + vars(f.keyVar(), f.valueVar()));
            expr(f.collection());
            out.append(' ');
            expr(f.key());
            out.append(" => ");
            expr(f.value());
            condition(f.condition());
            out.append(')');
        } else {
            open("()");
            expr(((Expr.Parens) e).inner());
            out.append(')');
        }
    }

    private void open(String head) {
        out.append('(').append(head).append(' ');
    }

    private void condition(Expr condition) {
        if (condition != null) {
            out.append(" if ");
            expr(condition);
        }
    }

    private static String vars(String key, String value) {
        return (key == null ? "" : key + ", ") + value + " in";
    }

    private void template(String head, List<TemplatePart> parts) {
        out.append('(').append(head);
        for (TemplatePart part : parts) {
            out.append(' ');
            if (part instanceof TemplatePart.Text t) {
                out.append(quoted(t.text()));
            } else {
                out.append("${");
                expr(((TemplatePart.Interpolation) part).expr());
                out.append('}');
            }
        }
        out.append(')');
    }

    private static String quoted(String text) {
        return "\"" + Escapes.quote(text) + "\"";
    }
}
