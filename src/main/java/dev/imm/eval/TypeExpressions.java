package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.lang.Expr;
import dev.imm.value.Type;
import java.util.List;
import java.util.Map;

/** Reads the {@code type} of a variable: {@code string}, {@code list(string)}, {@code map(number)}, ... */
final class TypeExpressions {
    private static final Map<String, Type> PRIMITIVES = Map.of("string", Type.STRING, "number", Type.NUMBER,
            "bool", Type.BOOL, "duration", Type.DURATION, "percent", Type.PERCENT, "any", Type.ANY,
            "object", Type.OBJECT);
    private static final List<String> NAMES = List.of("string", "number", "bool", "duration", "percent", "any",
            "object", "list", "map");

    private TypeExpressions() {
    }

    /** The type, or null with a diagnostic. */
    static Type parse(Expr e, Diagnostics diagnostics) {
        if (e instanceof Expr.Variable v && PRIMITIVES.containsKey(v.name())) {
            return PRIMITIVES.get(v.name());
        }
        if (e instanceof Expr.Call c && (c.name().equals("list") || c.name().equals("map")) && c.args().size() == 1) {
            Type element = parse(c.args().get(0), diagnostics);
            if (element == null) {
                return null;
            }
            return c.name().equals("list") ? new Type.ListOf(element) : new Type.MapOf(element);
        }
        String name = e instanceof Expr.Variable v ? v.name() : e instanceof Expr.Call c ? c.name() : null;
        String hint = name == null ? "" : DidYouMean.hint(name, NAMES);
        diagnostics.add(Diagnostic.error(e.range(), "not a type")
                .withHint(hint.isEmpty() ? "types are string, number, bool, duration, percent, list(T), map(T), object, any" : hint));
        return null;
    }
}
