package dev.imm.lang;

import dev.imm.diag.SourceRange;
import java.util.List;

/**
 * An expression of the syntax tree. Every node is an immutable record that keeps the source ranges
 * diagnostics point at: its whole extent, and where it matters a sub-range such as the name of an
 * attribute access or of a called function.
 */
public sealed interface Expr {

    SourceRange range();

    /** A number, duration, percent, bool or null, kept as written; evaluation gives it a value. */
    record Literal(LiteralKind kind, String text, SourceRange range) implements Expr {
    }

    /** A quoted string: literal text and {@code ${…}} interpolations, escapes already decoded. */
    record Template(List<TemplatePart> parts, SourceRange range) implements Expr {
        public Template {
            parts = List.copyOf(parts);
        }

        /** The text when there is no interpolation, else null. */
        public String literalText() {
            StringBuilder text = new StringBuilder();
            for (TemplatePart part : parts) {
                if (!(part instanceof TemplatePart.Text t)) {
                    return null;
                }
                text.append(t.text());
            }
            return text.toString();
        }
    }

    /**
     * {@code <<MARKER} or {@code <<-MARKER} text up to a line holding only the marker. For the indented form
     * the parts hold the text after the least indentation of its non-blank lines was removed.
     */
    record Heredoc(String marker, boolean indented, List<TemplatePart> parts, SourceRange range) implements Expr {
        public Heredoc {
            parts = List.copyOf(parts);
        }
    }

    /** A bare name: {@code var}, {@code image}, {@code each}, an import alias, an iteration variable. */
    record Variable(String name, SourceRange range) implements Expr {
    }

    /** {@code object.name}. */
    record GetAttr(Expr object, String name, SourceRange nameRange, SourceRange range) implements Expr {
    }

    /** {@code collection[key]}. */
    record Index(Expr collection, Expr key, SourceRange range) implements Expr {
    }

    /** {@code name(arg, …)} of a built-in function. */
    record Call(String name, SourceRange nameRange, List<Expr> args, SourceRange range) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    record Unary(Operator op, Expr operand, SourceRange range) implements Expr {
    }

    record Binary(Operator op, Expr left, Expr right, SourceRange operatorRange, SourceRange range) implements Expr {
    }

    record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, SourceRange range) implements Expr {
    }

    /** {@code [a, b]}. */
    record ListLiteral(List<Expr> items, SourceRange range) implements Expr {
        public ListLiteral {
            items = List.copyOf(items);
        }
    }

    /** {@code { key = value, … }}; keys are names or quoted strings. */
    record ObjectLiteral(List<ObjectItem> items, SourceRange range) implements Expr {
        public ObjectLiteral {
            items = List.copyOf(items);
        }
    }

    /**
     * {@code [for k, v in coll : value if cond]}. {@code keyVar} is null when one variable is named;
     * {@code condition} is null without {@code if}.
     */
    record ForList(String keyVar, String valueVar, Expr collection, Expr value, Expr condition,
                   SourceRange range) implements Expr {
    }

    /** {@code {for k, v in coll : key => value if cond}}. */
    record ForObject(String keyVar, String valueVar, Expr collection, Expr key, Expr value, Expr condition,
                     SourceRange range) implements Expr {
    }

    /** {@code (inner)}, kept so that printing gives back what was written. */
    record Parens(Expr inner, SourceRange range) implements Expr {
    }
}
