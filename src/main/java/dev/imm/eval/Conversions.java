package dev.imm.eval;

import dev.imm.value.Durations;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The conversions the language makes by itself where a type is wanted, and the explicit ones of
 * {@code tostring tonumber toduration topercent}. Implicitly, only numbers and bools become strings, and
 * collections convert element by element; anything else needs a function.
 */
public final class Conversions {
    private Conversions() {
    }

    /** {@code v} as type {@code wanted}, or empty when it cannot be. Unknown and sensitive values pass. */
    public static Optional<Value> implicit(Value v, Type wanted) {
        if (v instanceof Value.Sensitive s) {
            return implicit(s.inner(), wanted).map(Value.Sensitive::new);
        }
        if (v instanceof Value.Unknown u) {
            return Optional.of(new Value.Unknown(wanted.equals(Type.ANY) ? u.type() : wanted, u.reason()));
        }
        if (wanted.equals(Type.ANY) || v instanceof Value.Null) {
            return Optional.of(v);
        }
        if (wanted.equals(Type.STRING) && (v instanceof Value.Num || v instanceof Value.Bool)) {
            return Optional.of(new Value.Str(text(v)));
        }
        if (wanted instanceof Type.ListOf list && v instanceof Value.ListVal l) {
            List<Value> items = new ArrayList<>();
            for (Value item : l.items()) {
                Optional<Value> converted = implicit(item, list.element());
                if (converted.isEmpty()) {
                    return Optional.empty();
                }
                items.add(converted.get());
            }
            return Optional.of(new Value.ListVal(items));
        }
        if (wanted instanceof Type.MapOf map && v instanceof Value.MapVal m) {
            TreeMap<String, Value> entries = new TreeMap<>();
            for (var e : m.entries().entrySet()) {
                Optional<Value> converted = implicit(e.getValue(), map.element());
                if (converted.isEmpty()) {
                    return Optional.empty();
                }
                entries.put(e.getKey(), converted.get());
            }
            return Optional.of(new Value.MapVal(entries));
        }
        if (wanted.equals(Type.OBJECT) && v instanceof Value.MapVal) {
            return Optional.of(v);
        }
        return wanted.equals(v.type()) || (wanted instanceof Type.Ref r && v.type().equals(r))
                ? Optional.of(v) : Optional.empty();
    }

    /** {@code a string}, {@code a list(string)}, {@code an image}. */
    public static String article(Type t) {
        String name = t.toString();
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** What a value is, for error messages: {@code the number 3}, {@code a list(string)}. */
    public static String describe(Value v) {
        Value u = Values.unmarked(v);
        if (u instanceof Value.Str || u instanceof Value.Num || u instanceof Value.Bool || u instanceof Value.Duration
                || u instanceof Value.Percent) {
            String shown = v instanceof Value.Sensitive ? "(sensitive)" : Values.render(u);
            return "the " + u.type() + " " + shown;
        }
        if (u instanceof Value.Null) {
            return "null";
        }
        return article(u.type());
    }

    /** The text of a scalar as {@code tostring} and interpolation give it. */
    public static String text(Value v) {
        if (v instanceof Value.Str s) {
            return s.value();
        }
        if (v instanceof Value.Num n) {
            return n.value().toPlainString();
        }
        if (v instanceof Value.Bool b) {
            return String.valueOf(b.value());
        }
        if (v instanceof Value.Duration d) {
            return Durations.format(d.millis());
        }
        if (v instanceof Value.Percent p) {
            return p.value().toPlainString() + "%";
        }
        throw new IllegalArgumentException("no text for " + v.type());
    }

    /** Whether {@link #text} is defined for the value. */
    public static boolean hasText(Value v) {
        return v instanceof Value.Str || v instanceof Value.Num || v instanceof Value.Bool
                || v instanceof Value.Duration || v instanceof Value.Percent;
    }

    /** {@code tonumber}: a number, or a string holding one. */
    public static Optional<Value> toNumber(Value v) {
        if (v instanceof Value.Num) {
            return Optional.of(v);
        }
        if (v instanceof Value.Str s) {
            try {
                return Optional.of(new Value.Num(new BigDecimal(s.value().strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** {@code toduration}: a duration, or a string holding one such as "1h30m". */
    public static Optional<Value> toDuration(Value v) {
        if (v instanceof Value.Duration) {
            return Optional.of(v);
        }
        if (v instanceof Value.Str s) {
            return Durations.parse(s.value().strip()).map(Value.Duration::new);
        }
        return Optional.empty();
    }

    /** {@code topercent}: a percent, a string such as "12.5%", or a number n meaning n%. */
    public static Optional<Value> toPercent(Value v) {
        if (v instanceof Value.Percent) {
            return Optional.of(v);
        }
        if (v instanceof Value.Num n) {
            return Optional.of(new Value.Percent(n.value()));
        }
        if (v instanceof Value.Str s && s.value().strip().endsWith("%")) {
            String digits = s.value().strip();
            try {
                return Optional.of(new Value.Percent(new BigDecimal(digits.substring(0, digits.length() - 1))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
