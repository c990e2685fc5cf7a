package dev.imm.lang;

import java.util.List;

/**
 * Writes a syntax tree as canonical text: imports first, one blank line between top-level blocks, two
 * spaces of indentation, {@code =} aligned within runs of attributes, expressions on one line with single
 * spaces around binary operators. Parsing the output gives back an equal tree (ranges aside), and
 * {@link Formatter} leaves the output unchanged. Comments are not part of the tree; {@code imm fmt} keeps
 * them by formatting the text itself.
 */
public final class Printer {
    private final Output out = new Output();

    private Printer() {
    }

    /**
     * The text being written. A heredoc's closing marker must end its line, so after one, anything but the
     * end of the line first starts a new line, indented as {@code imm fmt} would indent it.
     */
    private static final class Output {
        private final StringBuilder text = new StringBuilder();
        /** The depth of the attribute whose heredoc just ended, or -1. */
        private int breakAfterHeredoc = -1;

        Output append(String s) {
            if (breakAfterHeredoc >= 0 && !s.isEmpty()) {
                if (s.charAt(0) != '\n') {
                    boolean closes = s.charAt(0) == ']' || s.charAt(0) == ')' || s.charAt(0) == '}';
                    text.append('\n').append("  ".repeat(breakAfterHeredoc + (closes ? 0 : 1)));
                }
                breakAfterHeredoc = -1;
            }
            text.append(s);
            return this;
        }

        Output append(char c) {
            return append(String.valueOf(c));
        }

        void endHeredoc(int depth) {
            breakAfterHeredoc = depth;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    public static String print(ConfigFile file) {
        Printer p = new Printer();
        for (Import i : file.imports()) {
            p.out.append("import \"").append(Escapes.quote(i.path())).append('"');
            if (i.alias() != null) {
                p.out.append(" as ").append(i.alias());
            }
            p.out.append('\n');
        }
        if (!file.imports().isEmpty() && !file.items().isEmpty()) {
            p.out.append('\n');
        }
        p.body(file.items(), 0, true);
        return p.out.toString();
    }

    public static String print(Expr expr) {
        Printer p = new Printer();
        p.expr(expr, 0);
        return p.out.toString();
    }

    private void body(List<BodyItem> items, int depth, boolean topLevel) {
        String indent = "  ".repeat(depth);
        for (int i = 0; i < items.size(); i++) {
            BodyItem item = items.get(i);
            boolean blockBoundary = item instanceof Block || (i > 0 && items.get(i - 1) instanceof Block);
            if (topLevel && i > 0 && blockBoundary) {
                out.append('\n');
            }
            out.append(indent);
            if (item instanceof Attribute a) {
                out.append(a.name()).append(" ".repeat(alignment(items, i) - a.name().length())).append(" = ");
                expr(a.value(), depth);
                out.append('\n');
            } else {
                block((Block) item, depth);
            }
        }
    }

    /** The width names are padded to: the longest name in this attribute's run of one-line attributes. */
    private static int alignment(List<BodyItem> items, int index) {
        if (!isOneLineAttribute(items.get(index))) {
            return ((Attribute) items.get(index)).name().length();
        }
        int start = index;
        while (start > 0 && isOneLineAttribute(items.get(start - 1))) {
            start--;
        }
        int width = 0;
        for (int i = start; i < items.size() && isOneLineAttribute(items.get(i)); i++) {
            width = Math.max(width, ((Attribute) items.get(i)).name().length());
        }
        return width;
    }

    private static boolean isOneLineAttribute(BodyItem item) {
        return item instanceof Attribute a && !Printer.print(a.value()).contains("\n");
    }

    private void block(Block b, int depth) {
        out.append(b.type());
        for (Block.Label label : b.labels()) {
            out.append(" \"").append(Escapes.quote(label.value())).append('"');
        }
        if (b.body().isEmpty()) {
            out.append(" {}\n");
            return;
        }
        out.append(" {\n");
        body(b.body(), depth + 1, false);
        out.append("  ".repeat(depth)).append("}\n");
    }

    private void expr(Expr e, int depth) {
        if (e instanceof Expr.Literal l) {
            out.append(l.text());
        } else if (e instanceof Expr.Template t) {
            out.append('"');
            templateParts(t.parts(), depth, true);
            out.append('"');
        } else if (e instanceof Expr.Heredoc h) {
            heredoc(h, depth);
        } else if (e instanceof Expr.Variable v) {
            out.append(v.name());
        } else if (e instanceof Expr.GetAttr g) {
            expr(g.object(), depth);
            out.append('.').append(g.name());
        } else if (e instanceof Expr.Index i) {
            expr(i.collection(), depth);
            out.append('[');
            expr(i.key(), depth);
            out.append(']');
        } else if (e instanceof Expr.Call c) {
            out.append(c.name()).append('(');
            list(c.args(), depth);
            out.append(')');
        } else if (e instanceof Expr.Unary u) {
            out.append(u.op().symbol());
            expr(u.operand(), depth);
        } else if (e instanceof Expr.Binary b) {
            expr(b.left(), depth);
            out.append(' ').append(b.op().symbol()).append(' ');
            expr(b.right(), depth);
        } else if (e instanceof Expr.Conditional c) {
            expr(c.condition(), depth);
            out.append(" ? ");
            expr(c.whenTrue(), depth);
            out.append(" : ");
            expr(c.whenFalse(), depth);
        } else if (e instanceof Expr.ListLiteral l) {
            out.append('[');
            list(l.items(), depth);
            out.append(']');
        } else if (e instanceof Expr.ObjectLiteral o) {
            object(o, depth);
        } else if (e instanceof Expr.ForList f) {
            out.append("[for ");
            forHead(f.keyVar(), f.valueVar(), f.collection(), depth);
            expr(f.value(), depth);
            forCondition(f.condition(), depth);
            out.append(']');
        } else if (e instanceof Expr.ForObject f) {
            out.append("{ for ");
            forHead(f.keyVar(), f.valueVar(), f.collection(), depth);
            expr(f.key(), depth);
            out.append(" => ");
            expr(f.value(), depth);
            forCondition(f.condition(), depth);
            out.append(" }");
        } else {
            out.append('(');
            expr(((Expr.Parens) e).inner(), depth);
            out.append(')');
        }
    }

    private void list(List<Expr> items, int depth) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            expr(items.get(i), depth);
        }
    }

    private void object(Expr.ObjectLiteral o, int depth) {
        if (o.items().isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{ ");
        for (int i = 0; i < o.items().size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            ObjectItem item = o.items().get(i);
            expr(item.key(), depth);
            out.append(" = ");
            expr(item.value(), depth);
        }
        out.append(" }");
    }

    private void forHead(String key, String value, Expr collection, int depth) {
        if (key != null) {
            out.append(key).append(", ");
        }
        out.append(value).append(" in ");
        expr(collection, depth);
        out.append(" : ");
    }

    private void forCondition(Expr condition, int depth) {
        if (condition != null) {
            out.append(" if ");
            expr(condition, depth);
        }
    }

    /**
     * Writes template parts. A '$' right before an interpolation cannot be written as itself (it would
     * read as "$${"), so a quoted string spells it {@code \u0024}.
     */
    private void templateParts(List<TemplatePart> parts, int depth, boolean quoted) {
        for (int i = 0; i < parts.size(); i++) {
            TemplatePart part = parts.get(i);
            if (part instanceof TemplatePart.Text t) {
                String text = quoted ? Escapes.quote(t.text()) : t.text().replace("${", "$${");
                boolean beforeInterpolation = i + 1 < parts.size();
                if (quoted && beforeInterpolation && text.endsWith("$")) {
                    text = text.substring(0, text.length() - 1) + "\\u0024";
                }
                out.append(text);
            } else {
                out.append("${");
                expr(((TemplatePart.Interpolation) part).expr(), depth);
                out.append('}');
            }
        }
    }

    private void heredoc(Expr.Heredoc h, int depth) {
        out.append(h.indented() ? "<<-" : "<<").append(h.marker()).append('\n');
        if (!h.indented()) {
            templateParts(h.parts(), depth, false);
            out.append(h.marker());
            out.endHeredoc(depth);
            return;
        }
        // re-indent the content one level deeper than the attribute; parsing strips it again
        String indent = "  ".repeat(depth + 1);
        Printer content = new Printer();
        content.templateParts(h.parts(), depth, false);
        String text = content.out.toString();
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (lineStart && c != '\n') {
                out.append(indent);
            }
            out.append(c);
            lineStart = c == '\n';
        }
        out.append(indent).append(h.marker());
        out.endHeredoc(depth);
    }
}
