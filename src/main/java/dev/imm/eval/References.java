package dev.imm.eval;

import dev.imm.diag.SourceRange;
import dev.imm.lang.Expr;
import dev.imm.lang.ObjectItem;
import dev.imm.lang.TemplatePart;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code root.name} references an expression makes ({@code var.env}, {@code image.app.id} gives
 * {@code image.app}), except through names that a {@code for} binds. They are the edges of the dependency
 * graph.
 */
public final class References {
    /** {@code root.name} at {@code range} (the whole {@code root.name}). */
    public record Reference(String root, String name, SourceRange range) {
    }

    private final List<Reference> found = new ArrayList<>();

    private References() {
    }

    public static List<Reference> of(Expr e) {
        References refs = new References();
        refs.walk(e, Set.of());
        return refs.found;
    }

    private void walk(Expr e, Set<String> bound) {
        if (e == null || e instanceof Expr.Literal) {
            return;
        }
        if (e instanceof Expr.GetAttr g && g.object() instanceof Expr.Variable root && !bound.contains(root.name())) {
            found.add(new Reference(root.name(), g.name(), g.range()));
        } else if (e instanceof Expr.GetAttr g) {
            walk(g.object(), bound);
        } else if (e instanceof Expr.Template t) {
            parts(t.parts(), bound);
        } else if (e instanceof Expr.Heredoc h) {
            parts(h.parts(), bound);
        } else if (e instanceof Expr.Index i) {
            walk(i.collection(), bound);
            walk(i.key(), bound);
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> walk(a, bound));
        } else if (e instanceof Expr.Unary u) {
            walk(u.operand(), bound);
        } else if (e instanceof Expr.Binary b) {
            walk(b.left(), bound);
            walk(b.right(), bound);
        } else if (e instanceof Expr.Conditional c) {
            walk(c.condition(), bound);
            walk(c.whenTrue(), bound);
            walk(c.whenFalse(), bound);
        } else if (e instanceof Expr.ListLiteral l) {
            l.items().forEach(item -> walk(item, bound));
        } else if (e instanceof Expr.ObjectLiteral o) {
            for (ObjectItem item : o.items()) {
                if (!(item.key() instanceof Expr.Variable)) {
                    walk(item.key(), bound);
                }
                walk(item.value(), bound);
            }
        } else if (e instanceof Expr.ForList f) {
            walk(f.collection(), bound);
            Set<String> inner = bind(bound, f.keyVar(), f.valueVar());
            walk(f.value(), inner);
            walk(f.condition(), inner);
        } else if (e instanceof Expr.ForObject f) {
            walk(f.collection(), bound);
            Set<String> inner = bind(bound, f.keyVar(), f.valueVar());
            walk(f.key(), inner);
            walk(f.value(), inner);
            walk(f.condition(), inner);
        } else if (e instanceof Expr.Parens p) {
            walk(p.inner(), bound);
        }
    }

    private void parts(List<TemplatePart> parts, Set<String> bound) {
        for (TemplatePart part : parts) {
            if (part instanceof TemplatePart.Interpolation i) {
                walk(i.expr(), bound);
            }
        }
    }

    private static Set<String> bind(Set<String> bound, String key, String value) {
        Set<String> inner = new HashSet<>(bound);
        if (key != null) {
            inner.add(key);
        }
        inner.add(value);
        return inner;
    }
}
