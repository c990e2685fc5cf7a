package dev.imm.value;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Operations every part of imm needs on values: rendering, deep inspection, common types. */
public final class Values {
    private Values() {
    }

    public static Value str(String s) {
        return new Value.Str(s);
    }

    public static Value num(long n) {
        return Value.Num.of(n);
    }

    public static Value num(BigDecimal n) {
        return new Value.Num(n);
    }

    /**
     * The value as the language would write it: {@code "text"}, {@code 3}, {@code 90s}, {@code 10%},
     * {@code ["a", "b"]}, {@code { a = 1 }}, {@code image.app}; unknown values as {@code (known after bake)}
     * and secrets as {@code (sensitive)}.
     */
    public static String render(Value v) {
        StringBuilder out = new StringBuilder();
        render(v, out);
        return out.toString();
    }

    private static void render(Value v, StringBuilder out) {
        if (v instanceof Value.Str s) {
            out.append(quote(s.value()));
        } else if (v instanceof Value.Num n) {
            out.append(n.value().toPlainString());
        } else if (v instanceof Value.Bool b) {
            out.append(b.value());
        } else if (v instanceof Value.Null) {
            out.append("null");
        } else if (v instanceof Value.Duration d) {
            out.append(Durations.format(d.millis()));
        } else if (v instanceof Value.Percent p) {
            out.append(p.value().toPlainString()).append('%');
        } else if (v instanceof Value.ListVal l) {
            out.append('[');
            for (int i = 0; i < l.items().size(); i++) {
                out.append(i == 0 ? "" : ", ");
                render(l.items().get(i), out);
            }
            out.append(']');
        } else if (v instanceof Value.MapVal m) {
            if (m.entries().isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{ ");
            boolean first = true;
            for (Map.Entry<String, Value> e : m.entries().entrySet()) {
                out.append(first ? "" : ", ").append(key(e.getKey())).append(" = ");
                render(e.getValue(), out);
                first = false;
            }
            out.append(" }");
        } else if (v instanceof Value.Ref r) {
            out.append(r.address());
        } else if (v instanceof Value.Unknown u) {
            out.append('(').append(u.reason()).append(')');
        } else {
            out.append("(sensitive)");
        }
    }

    /** A string literal with the language's escapes. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '$':
                    out.append(s.startsWith("${", i) ? "$$" : "$");
                    break;
                default:
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    private static String key(String k) {
        return isIdentifier(k) ? k : quote(k);
    }

    /** Whether the text is a name: ASCII letters, digits and '_', not starting with a digit. */
    public static boolean isIdentifier(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Whether the value is unknown, or holds an unknown anywhere inside. */
    public static boolean isWhollyKnown(Value v) {
        Value u = unmarked(v);
        if (u instanceof Value.Unknown) {
            return false;
        }
        if (u instanceof Value.ListVal l) {
            return l.items().stream().allMatch(Values::isWhollyKnown);
        }
        if (u instanceof Value.MapVal m) {
            return m.entries().values().stream().allMatch(Values::isWhollyKnown);
        }
        return true;
    }

    /** Whether the value is sensitive, or holds a sensitive value anywhere inside. */
    public static boolean containsSensitive(Value v) {
        if (v instanceof Value.Sensitive) {
            return true;
        }
        if (v instanceof Value.ListVal l) {
            return l.items().stream().anyMatch(Values::containsSensitive);
        }
        if (v instanceof Value.MapVal m) {
            return m.entries().values().stream().anyMatch(Values::containsSensitive);
        }
        return false;
    }

    /** The value without its sensitive mark (at the top level only). */
    public static Value unmarked(Value v) {
        return v instanceof Value.Sensitive s ? s.inner() : v;
    }

    /** {@code result}, marked sensitive when any of {@code inputs} is. */
    public static Value markedLike(Value result, Value... inputs) {
        for (Value input : inputs) {
            if (input instanceof Value.Sensitive) {
                return new Value.Sensitive(result);
            }
        }
        return result;
    }

    /** {@code result}, marked sensitive when any of {@code inputs} is. */
    public static Value markedLike(Value result, Collection<Value> inputs) {
        return markedLike(result, inputs.toArray(new Value[0]));
    }

    /** The one type all values share, or {@code any}. */
    static Type commonType(Collection<Value> values) {
        Type common = null;
        for (Value v : values) {
            Type t = v.type();
            if (t.equals(Type.NULL)) {
                continue;
            }
            if (common == null) {
                common = t;
            } else if (!common.equals(t)) {
                return Type.ANY;
            }
        }
        return common == null ? Type.ANY : common;
    }

    /** The top-level items of a list, sensitive marks removed from the list itself. */
    public static List<Value> items(Value list) {
        return new ArrayList<>(((Value.ListVal) unmarked(list)).items());
    }
}
