package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.diag.SourceRange;
import dev.imm.lang.Expr;
import dev.imm.lang.ObjectItem;
import dev.imm.lang.Operator;
import dev.imm.lang.TemplatePart;
import dev.imm.value.Durations;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gives expressions their values. Problems become diagnostics and the expression's value becomes
 * {@link #ERROR}, an unknown that later operations pass along without reporting again, so one mistake is
 * reported once and evaluation goes on to find the others.
 */
public final class ExprEvaluator {
    /** The value of an expression that had an error (already reported). */
    public static final Value ERROR = new Value.Unknown(Type.ANY, "error");

    private final Diagnostics diagnostics;
    private final Functions functions;
    private final FunctionContext files;

    public ExprEvaluator(Diagnostics diagnostics, Functions functions, FunctionContext files) {
        this.diagnostics = diagnostics;
        this.functions = functions;
        this.files = files;
    }

    /** An evaluator like this one whose diagnostics go nowhere. */
    ExprEvaluator quietly() {
        return new ExprEvaluator(new Diagnostics(), functions, files);
    }

    public static boolean isError(Value v) {
        return v == ERROR || (v instanceof Value.Unknown u && "error".equals(u.reason()));
    }

    public Value eval(Expr e, Scope scope) {
        if (e instanceof Expr.Literal l) {
            return literal(l);
        }
        if (e instanceof Expr.Template t) {
            return template(t.parts(), scope);
        }
        if (e instanceof Expr.Heredoc h) {
            return template(h.parts(), scope);
        }
        if (e instanceof Expr.Variable v) {
            return variable(v, scope);
        }
        if (e instanceof Expr.GetAttr g) {
            return getAttr(g, scope);
        }
        if (e instanceof Expr.Index i) {
            return index(i, scope);
        }
        if (e instanceof Expr.Call c) {
            return call(c, scope);
        }
        if (e instanceof Expr.Unary u) {
            return unary(u, scope);
        }
        if (e instanceof Expr.Binary b) {
            return binary(b, scope);
        }
        if (e instanceof Expr.Conditional c) {
            return conditional(c, scope);
        }
        if (e instanceof Expr.ListLiteral l) {
            List<Value> items = new ArrayList<>();
            for (Expr item : l.items()) {
                items.add(eval(item, scope));
            }
            return new Value.ListVal(items);
        }
        if (e instanceof Expr.ObjectLiteral o) {
            return object(o, scope);
        }
        if (e instanceof Expr.ForList f) {
            return forList(f, scope);
        }
        if (e instanceof Expr.ForObject f) {
            return forObject(f, scope);
        }
        return eval(((Expr.Parens) e).inner(), scope);
    }

    Value error(SourceRange at, String summary, String hint) {
        diagnostics.add(Diagnostic.error(at, summary).withHint(hint));
        return ERROR;
    }

    private Value literal(Expr.Literal l) {
        switch (l.kind()) {
            case NUMBER:
                return new Value.Num(new BigDecimal(l.text()));
            case DURATION:
                return Durations.parse(l.text()).<Value>map(Value.Duration::new)
                        .orElseGet(() -> error(l.range(), "invalid duration " + l.text(),
                                "durations are whole milliseconds, as in 1.5s or 500ms"));
            case PERCENT:
                return new Value.Percent(new BigDecimal(l.text().substring(0, l.text().length() - 1)));
            case BOOL:
                return Value.Bool.of(l.text().equals("true"));
            default:
                return Value.Null.INSTANCE;
        }
    }

    private Value template(List<TemplatePart> parts, Scope scope) {
        StringBuilder text = new StringBuilder();
        List<Value> pieces = new ArrayList<>();
        Value unknown = null;
        for (TemplatePart part : parts) {
            if (part instanceof TemplatePart.Text t) {
                text.append(t.text());
                continue;
            }
            TemplatePart.Interpolation in = (TemplatePart.Interpolation) part;
            Value v = eval(in.expr(), scope);
            pieces.add(v);
            Value u = Values.unmarked(v);
            if (u instanceof Value.Unknown) {
                unknown = unknown == null || isError(u) ? u : unknown;
            } else if (u instanceof Value.Null) {
                unknown = error(in.expr().range(), "cannot interpolate null",
                        "give a value, or use a conditional: x == null ? \"\" : x");
            } else if (!Conversions.hasText(u)) {
                unknown = error(in.expr().range(), "cannot interpolate " + Conversions.article(u.type()),
                        "use join(\", \", list) or jsonencode(value) to turn it into text");
            } else {
                text.append(Conversions.text(u));
            }
        }
        Value result = unknown != null ? new Value.Unknown(Type.STRING, ((Value.Unknown) unknown).reason())
                : new Value.Str(text.toString());
        return Values.markedLike(result, pieces);
    }

    private Value variable(Expr.Variable v, Scope scope) {
        Value bound = scope.bound(v.name());
        if (bound != null) {
            return bound;
        }
        if (scope.resolver().isNamespace(v.name())) {
            return error(v.range(), "\"" + v.name() + "\" must be followed by a name",
                    "as in " + v.name() + "." + example(v.name()));
        }
        String hint = DidYouMean.hint(v.name(), scope.visibleNames());
        return error(v.range(), "unknown name \"" + v.name() + "\"",
                hint.isEmpty() ? "names are var.NAME, local.NAME, image.NAME, fleet.NAME, ..." : hint);
    }

    private static String example(String namespace) {
        switch (namespace) {
            case "var": return "env";
            case "local": return "tags";
            case "image": return "app";
            case "fleet": return "web";
            default: return "NAME";
        }
    }

    private Value getAttr(Expr.GetAttr g, Scope scope) {
        if (g.object() instanceof Expr.Variable root && scope.bound(root.name()) == null
                && scope.resolver().isNamespace(root.name())) {
            return scope.resolver().resolve(root.name(), g.name(), g.nameRange(), g.range());
        }
        Value object = eval(g.object(), scope);
        return attribute(object, g.name(), g.nameRange());
    }

    /** {@code object.name} on a value: a map's key or a block reference's attribute. */
    Value attribute(Value object, String name, SourceRange nameRange) {
        Value u = Values.unmarked(object);
        if (u instanceof Value.Unknown unknown) {
            return Values.markedLike(new Value.Unknown(Type.ANY, unknown.reason()), object);
        }
        if (u instanceof Value.Ref ref) {
            Value attr = ref.attributes().entries().get(name);
            if (attr == null) {
                return error(nameRange, ref.kind() + " " + ref.address() + " has no attribute \"" + name + "\"",
                        suggestion(name, ref.attributes().entries().keySet()));
            }
            return Values.markedLike(attr, object);
        }
        if (u instanceof Value.MapVal map) {
            Value entry = map.entries().get(name);
            if (entry == null) {
                return error(nameRange, "no key \"" + name + "\" in this map", suggestion(name, map.entries().keySet()));
            }
            return Values.markedLike(entry, object);
        }
        return error(nameRange, "cannot read \"" + name + "\" of " + Conversions.describe(object),
                "only maps and blocks have attributes");
    }

    private static String suggestion(String name, Iterable<String> names) {
        String hint = DidYouMean.hint(name, names);
        if (!hint.isEmpty()) {
            return hint;
        }
        List<String> all = new ArrayList<>();
        names.forEach(all::add);
        return all.isEmpty() ? "it has none" : "it has " + String.join(", ", all.subList(0, Math.min(8, all.size())))
                + (all.size() > 8 ? ", ..." : "");
    }

    private Value index(Expr.Index i, Scope scope) {
        Value collection = eval(i.collection(), scope);
        Value key = eval(i.key(), scope);
        Value c = Values.unmarked(collection);
        Value k = Values.unmarked(key);
        if (c instanceof Value.Unknown || k instanceof Value.Unknown) {
            return Values.markedLike(new Value.Unknown(Type.ANY, reason(c, k)), collection, key);
        }
        if (c instanceof Value.ListVal list) {
            if (!(k instanceof Value.Num n) || !n.isInteger()) {
                return error(i.key().range(), "a list index must be a whole number, got " + Conversions.describe(key), "");
            }
            int at;
            try {
                at = n.value().intValueExact();
            } catch (ArithmeticException tooLarge) {
                at = -1;
            }
            if (at < 0 || at >= list.items().size()) {
                return error(i.key().range(), "index " + n.value().toPlainString() + " is out of range",
                        "the list has " + list.items().size() + " item" + (list.items().size() == 1 ? "" : "s"));
            }
            return Values.markedLike(list.items().get(at), collection, key);
        }
        if (c instanceof Value.MapVal map) {
            if (!Conversions.hasText(k)) {
                return error(i.key().range(), "a map key must be a string, got " + Conversions.describe(key), "");
            }
            String name = Conversions.text(k);
            Value entry = map.entries().get(name);
            if (entry == null) {
                return error(i.key().range(), "no key " + Values.quote(name) + " in this map",
                        suggestion(name, map.entries().keySet()));
            }
            return Values.markedLike(entry, collection, key);
        }
        return error(i.collection().range(), "cannot index " + Conversions.describe(collection),
                "only lists and maps can be indexed");
    }

    private static String reason(Value... values) {
        for (Value v : values) {
            if (v instanceof Value.Unknown u) {
                return u.reason();
            }
        }
        return Value.Unknown.AFTER_BAKE;
    }

    private Value call(Expr.Call c, Scope scope) {
        BuiltinFunction f = functions.lookup(c.name());
        List<Value> args = new ArrayList<>();
        for (Expr arg : c.args()) {
            args.add(eval(arg, scope));
        }
        if (f == null) {
            String hint = DidYouMean.hint(c.name(), functions.names());
            return error(c.nameRange(), "unknown function \"" + c.name() + "\"",
                    hint.isEmpty() ? "the functions are listed in docs/language.md" : hint);
        }
        for (Value arg : args) {
            if (isError(arg)) {
                return ERROR;
            }
        }
        try {
            return functions.call(f, args, files);
        } catch (FunctionError problem) {
            SourceRange at = problem.argument() >= 0 && problem.argument() < c.args().size()
                    ? c.args().get(problem.argument()).range() : c.range();
            diagnostics.add(Diagnostic.error(at, problem.getMessage()).withHint(problem.hint()));
            return ERROR;
        }
    }

    private Value unary(Expr.Unary u, Scope scope) {
        Value operand = eval(u.operand(), scope);
        Value v = Values.unmarked(operand);
        if (v instanceof Value.Unknown unknown) {
            return Values.markedLike(new Value.Unknown(u.op() == Operator.NOT ? Type.BOOL : unknown.type(), unknown.reason()), operand);
        }
        if (u.op() == Operator.NOT) {
            if (v instanceof Value.Bool b) {
                return Values.markedLike(Value.Bool.of(!b.value()), operand);
            }
            return error(u.operand().range(), "'!' needs a bool, got " + Conversions.describe(operand), "");
        }
        if (v instanceof Value.Num n) {
            return Values.markedLike(new Value.Num(n.value().negate()), operand);
        }
        if (v instanceof Value.Duration d) {
            return Values.markedLike(new Value.Duration(-d.millis()), operand);
        }
        if (v instanceof Value.Percent p) {
            return Values.markedLike(new Value.Percent(p.value().negate()), operand);
        }
        return error(u.operand().range(), "'-' needs a number, duration or percent, got " + Conversions.describe(operand), "");
    }

    private Value binary(Expr.Binary b, Scope scope) {
        Value left = eval(b.left(), scope);
        if (b.op() == Operator.AND || b.op() == Operator.OR) {
            return logical(b, left, scope);
        }
        Value right = eval(b.right(), scope);
        Value l = Values.unmarked(left);
        Value r = Values.unmarked(right);
        if (isError(l) || isError(r)) {
            return ERROR;
        }
        if (l instanceof Value.Unknown || r instanceof Value.Unknown
                || comparison(b.op()) && (!Values.isWhollyKnown(l) || !Values.isWhollyKnown(r))) {
            Type type = comparison(b.op()) ? Type.BOOL : l instanceof Value.Unknown ? r.type() : l.type();
            return Values.markedLike(new Value.Unknown(type, reason(l, r)), left, right);
        }
        Value result;
        switch (b.op()) {
            case EQUAL:
                result = Value.Bool.of(Objects.equals(Functions.unmarkAll(l), Functions.unmarkAll(r)));
                break;
            case NOT_EQUAL:
                result = Value.Bool.of(!Objects.equals(Functions.unmarkAll(l), Functions.unmarkAll(r)));
                break;
            case LESS: case LESS_EQUAL: case GREATER: case GREATER_EQUAL:
                result = compare(b, l, r);
                break;
            default:
                result = Arithmetic.apply(b.op(), l, r);
                if (result == null) {
                    return error(b.operatorRange(), "cannot apply '" + b.op().symbol() + "' to "
                            + Conversions.describe(left) + " and " + Conversions.describe(right), arithmeticHint(b.op(), l, r));
                }
                if (result instanceof Value.Unknown u && "division by zero".equals(u.reason())) {
                    return error(b.right().range(), "division by zero", "");
                }
        }
        return isError(result) ? result : Values.markedLike(result, left, right);
    }

    private static boolean comparison(Operator op) {
        return op == Operator.EQUAL || op == Operator.NOT_EQUAL || op == Operator.LESS || op == Operator.LESS_EQUAL
                || op == Operator.GREATER || op == Operator.GREATER_EQUAL;
    }

    private static String arithmeticHint(Operator op, Value l, Value r) {
        if (op == Operator.ADD && (l instanceof Value.Str || r instanceof Value.Str)) {
            return "join text with interpolation: \"${a}${b}\"";
        }
        return "arithmetic works on numbers, durations (+ - with durations, * / by a number) and percents";
    }

    private Value compare(Expr.Binary b, Value l, Value r) {
        Integer order = Arithmetic.compare(l, r);
        if (order == null) {
            return error(b.operatorRange(), "cannot compare " + Conversions.describe(l) + " with " + Conversions.describe(r),
                    "'<' and the like compare two numbers, two durations or two percents");
        }
        switch (b.op()) {
            case LESS: return Value.Bool.of(order < 0);
            case LESS_EQUAL: return Value.Bool.of(order <= 0);
            case GREATER: return Value.Bool.of(order > 0);
            default: return Value.Bool.of(order >= 0);
        }
    }

    private Value logical(Expr.Binary b, Value left, Scope scope) {
        Value l = Values.unmarked(left);
        if (isError(l)) {
            return ERROR;
        }
        if (!(l instanceof Value.Bool) && !(l instanceof Value.Unknown)) {
            return error(b.left().range(), "'" + b.op().symbol() + "' needs bools, got " + Conversions.describe(left), "");
        }
        boolean isAnd = b.op() == Operator.AND;
        if (l instanceof Value.Bool lb && lb.value() != isAnd) {
            return Values.markedLike(Value.Bool.of(!isAnd), left); // false && x, true || x
        }
        Value right = eval(b.right(), scope);
        Value r = Values.unmarked(right);
        if (isError(r)) {
            return ERROR;
        }
        if (!(r instanceof Value.Bool) && !(r instanceof Value.Unknown)) {
            return error(b.right().range(), "'" + b.op().symbol() + "' needs bools, got " + Conversions.describe(right), "");
        }
        if (r instanceof Value.Bool rb && rb.value() != isAnd) {
            return Values.markedLike(Value.Bool.of(!isAnd), left, right);
        }
        if (l instanceof Value.Unknown || r instanceof Value.Unknown) {
            return Values.markedLike(new Value.Unknown(Type.BOOL, reason(l, r)), left, right);
        }
        return Values.markedLike(Value.Bool.of(isAnd), left, right);
    }

    private Value conditional(Expr.Conditional c, Scope scope) {
        Value condition = eval(c.condition(), scope);
        Value v = Values.unmarked(condition);
        if (isError(v)) {
            return ERROR;
        }
        if (v instanceof Value.Unknown u) {
            Value a = eval(c.whenTrue(), scope);
            Value b = eval(c.whenFalse(), scope);
            Type type = a.type().equals(b.type()) ? a.type() : Type.ANY;
            return Values.markedLike(new Value.Unknown(type, u.reason()), condition, a, b);
        }
        if (!(v instanceof Value.Bool b)) {
            return error(c.condition().range(), "a condition must be a bool, got " + Conversions.describe(condition), "");
        }
        return Values.markedLike(eval(b.value() ? c.whenTrue() : c.whenFalse(), scope), condition);
    }

    private Value object(Expr.ObjectLiteral o, Scope scope) {
        TreeMap<String, Value> entries = new TreeMap<>();
        Map<String, SourceRange> seen = new LinkedHashMap<>();
        for (ObjectItem item : o.items()) {
            String key = item.keyName();
            if (key == null) {
                Value k = Values.unmarked(eval(item.key(), scope));
                if (k instanceof Value.Unknown) {
                    return new Value.Unknown(Type.OBJECT, ((Value.Unknown) k).reason());
                }
                key = Conversions.text(k);
            }
            if (seen.containsKey(key)) {
                error(item.key().range(), "duplicate key " + Values.quote(key), "first given at line " + seen.get(key).startLine());
                continue;
            }
            seen.put(key, item.key().range());
            entries.put(key, eval(item.value(), scope));
        }
        return new Value.MapVal(entries);
    }

    /** The (key, value) pairs a comprehension walks: list indexes or sorted map keys. */
    private List<Map.Entry<Value, Value>> iterate(Expr collectionExpr, Value collection) {
        Value c = Values.unmarked(collection);
        List<Map.Entry<Value, Value>> pairs = new ArrayList<>();
        if (c instanceof Value.ListVal l) {
            for (int i = 0; i < l.items().size(); i++) {
                pairs.add(Map.entry(Values.markedLike(Value.Num.of(i), collection), Values.markedLike(l.items().get(i), collection)));
            }
            return pairs;
        }
        if (c instanceof Value.MapVal m) {
            m.entries().forEach((k, v) -> pairs.add(Map.entry(Values.markedLike(new Value.Str(k), collection), Values.markedLike(v, collection))));
            return pairs;
        }
        error(collectionExpr.range(), "'for' needs a list or a map, got " + Conversions.describe(collection), "");
        return null;
    }

    private Scope iterationScope(Scope scope, String keyVar, String valueVar, Map.Entry<Value, Value> pair) {
        Map<String, Value> names = new LinkedHashMap<>();
        if (keyVar != null) {
            names.put(keyVar, pair.getKey());
        }
        names.put(valueVar, pair.getValue());
        return scope.with(names);
    }

    /** Whether an element passes the comprehension's {@code if}; null when that is unknown or an error. */
    private Boolean included(Expr condition, Scope inner) {
        if (condition == null) {
            return true;
        }
        Value v = Values.unmarked(eval(condition, inner));
        if (v instanceof Value.Unknown) {
            return null;
        }
        if (!(v instanceof Value.Bool b)) {
            error(condition.range(), "an 'if' condition must be a bool, got " + Conversions.describe(v), "");
            return null;
        }
        return b.value();
    }

    private Value forList(Expr.ForList f, Scope scope) {
        Value collection = eval(f.collection(), scope);
        if (Values.unmarked(collection) instanceof Value.Unknown u) {
            return new Value.Unknown(new Type.ListOf(Type.ANY), u.reason());
        }
        List<Map.Entry<Value, Value>> pairs = iterate(f.collection(), collection);
        if (pairs == null) {
            return ERROR;
        }
        List<Value> items = new ArrayList<>();
        for (Map.Entry<Value, Value> pair : pairs) {
            Scope inner = iterationScope(scope, f.keyVar(), f.valueVar(), pair);
            Boolean keep = included(f.condition(), inner);
            if (keep == null) {
                return new Value.Unknown(new Type.ListOf(Type.ANY), Value.Unknown.AFTER_BAKE);
            }
            if (keep) {
                items.add(eval(f.value(), inner));
            }
        }
        return new Value.ListVal(items);
    }

    private Value forObject(Expr.ForObject f, Scope scope) {
        Value collection = eval(f.collection(), scope);
        if (Values.unmarked(collection) instanceof Value.Unknown u) {
            return new Value.Unknown(Type.OBJECT, u.reason());
        }
        List<Map.Entry<Value, Value>> pairs = iterate(f.collection(), collection);
        if (pairs == null) {
            return ERROR;
        }
        TreeMap<String, Value> entries = new TreeMap<>();
        for (Map.Entry<Value, Value> pair : pairs) {
            Scope inner = iterationScope(scope, f.keyVar(), f.valueVar(), pair);
            Boolean keep = included(f.condition(), inner);
            if (keep == null) {
                return new Value.Unknown(Type.OBJECT, Value.Unknown.AFTER_BAKE);
            }
            if (!keep) {
                continue;
            }
            Value key = Values.unmarked(eval(f.key(), inner));
            if (key instanceof Value.Unknown u) {
                return new Value.Unknown(Type.OBJECT, u.reason());
            }
            if (!Conversions.hasText(key)) {
                return error(f.key().range(), "a map key must be a string, got " + Conversions.describe(key), "");
            }
            String k = Conversions.text(key);
            if (entries.containsKey(k)) {
                return error(f.key().range(), "two elements give the key " + Values.quote(k),
                        "keys of a map comprehension must be unique");
            }
            entries.put(k, eval(f.value(), inner));
        }
        return new Value.MapVal(entries);
    }

    /** Number arithmetic with the decimal precision of 34 digits. */
    static final class Arithmetic {
        private static final MathContext PRECISION = MathContext.DECIMAL128;

        private Arithmetic() {
        }

        /** The result, or null when the operator does not apply to these operands. */
        static Value apply(Operator op, Value l, Value r) {
            if (l instanceof Value.Num a && r instanceof Value.Num b) {
                switch (op) {
                    case ADD: return new Value.Num(a.value().add(b.value()));
                    case SUBTRACT: return new Value.Num(a.value().subtract(b.value()));
                    case MULTIPLY: return new Value.Num(a.value().multiply(b.value()));
                    default:
                        if (b.value().signum() == 0) {
                            return new Value.Unknown(Type.NUMBER, "division by zero");
                        }
                        return new Value.Num(a.value().divide(b.value(), PRECISION));
                }
            }
            if (l instanceof Value.Duration a && r instanceof Value.Duration b) {
                switch (op) {
                    case ADD: return new Value.Duration(a.millis() + b.millis());
                    case SUBTRACT: return new Value.Duration(a.millis() - b.millis());
                    case DIVIDE:
                        if (b.millis() == 0) {
                            return new Value.Unknown(Type.NUMBER, "division by zero");
                        }
                        return new Value.Num(BigDecimal.valueOf(a.millis()).divide(BigDecimal.valueOf(b.millis()), PRECISION));
                    default: return null;
                }
            }
            if (l instanceof Value.Duration d && r instanceof Value.Num n) {
                return scaleDuration(op, d, n);
            }
            if (l instanceof Value.Num n && r instanceof Value.Duration d && op == Operator.MULTIPLY) {
                return scaleDuration(op, d, n);
            }
            if (l instanceof Value.Percent a && r instanceof Value.Percent b) {
                switch (op) {
                    case ADD: return new Value.Percent(a.value().add(b.value()));
                    case SUBTRACT: return new Value.Percent(a.value().subtract(b.value()));
                    default: return null;
                }
            }
            if (l instanceof Value.Percent p && r instanceof Value.Num n && (op == Operator.MULTIPLY || op == Operator.DIVIDE)) {
                if (op == Operator.DIVIDE && n.value().signum() == 0) {
                    return new Value.Unknown(Type.PERCENT, "division by zero");
                }
                return new Value.Percent(op == Operator.MULTIPLY ? p.value().multiply(n.value())
                        : p.value().divide(n.value(), PRECISION));
            }
            if (l instanceof Value.Num n && r instanceof Value.Percent p && op == Operator.MULTIPLY) {
                return new Value.Percent(p.value().multiply(n.value()));
            }
            return null;
        }

        private static Value scaleDuration(Operator op, Value.Duration d, Value.Num n) {
            BigDecimal millis = BigDecimal.valueOf(d.millis());
            if (op == Operator.MULTIPLY) {
                return new Value.Duration(millis.multiply(n.value()).setScale(0, RoundingMode.HALF_EVEN).longValue());
            }
            if (op == Operator.DIVIDE) {
                if (n.value().signum() == 0) {
                    return new Value.Unknown(Type.DURATION, "division by zero");
                }
                return new Value.Duration(millis.divide(n.value(), 0, RoundingMode.HALF_EVEN).longValue());
            }
            return null;
        }

        /** The order of two values of one ordered type, or null. */
        static Integer compare(Value l, Value r) {
            if (l instanceof Value.Num a && r instanceof Value.Num b) {
                return a.value().compareTo(b.value());
            }
            if (l instanceof Value.Duration a && r instanceof Value.Duration b) {
                return Long.compare(a.millis(), b.millis());
            }
            if (l instanceof Value.Percent a && r instanceof Value.Percent b) {
                return a.value().compareTo(b.value());
            }
            return null;
        }
    }
}
