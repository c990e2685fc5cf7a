package dev.imm.value;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A value of the language. Immutable. Maps keep their keys sorted, so that iteration, rendering and
 * hashing never depend on the order things were written in. A value may be {@link Unknown} (known only
 * after a bake or at plan time) or {@link Sensitive} (shown as {@code (sensitive)}); both flow through
 * every operation: an operation on an unknown gives an unknown, and one on a sensitive value gives a
 * sensitive one.
 */
public sealed interface Value {

    Type type();

    record Str(String value) implements Value {
        @Override
        public Type type() {
            return Type.STRING;
        }
    }

    /**
     * A number without trailing zeros, so that equal numbers are equal values. BigDecimal's own
     * stripTrailingZeros takes time quadratic in the digits, which a literal of a hundred thousand zeros
     * turns into seconds; long numbers have their zeros counted in their digits instead.
     */
    static BigDecimal canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        if (value.precision() <= 256) {
            return value.stripTrailingZeros();
        }
        String digits = value.unscaledValue().abs().toString();
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        if (end == digits.length()) {
            return value;
        }
        java.math.BigInteger stripped = new java.math.BigInteger(digits.substring(0, end));
        return new BigDecimal(value.signum() < 0 ? stripped.negate() : stripped, value.scale() - (digits.length() - end));
    }

    /** A decimal number; stored without trailing zeros so that equal numbers are equal values. */
    record Num(BigDecimal value) implements Value {
        public Num {
            value = canonical(value);
        }

        public static Num of(long n) {
            return new Num(BigDecimal.valueOf(n));
        }

        public boolean isInteger() {
            return value.scale() <= 0;
        }

        @Override
        public Type type() {
            return Type.NUMBER;
        }
    }

    record Bool(boolean value) implements Value {
        public static final Bool TRUE = new Bool(true);
        public static final Bool FALSE = new Bool(false);

        public static Bool of(boolean b) {
            return b ? TRUE : FALSE;
        }

        @Override
        public Type type() {
            return Type.BOOL;
        }
    }

    record Null() implements Value {
        public static final Null INSTANCE = new Null();

        @Override
        public Type type() {
            return Type.NULL;
        }
    }

    /** A length of time in milliseconds. */
    record Duration(long millis) implements Value {
        @Override
        public Type type() {
            return Type.DURATION;
        }
    }

    /** A percentage: {@code 12.5%} holds 12.5. */
    record Percent(BigDecimal value) implements Value {
        public Percent {
            value = canonical(value);
        }

        @Override
        public Type type() {
            return Type.PERCENT;
        }
    }

    record ListVal(List<Value> items) implements Value {
        public ListVal {
            items = List.copyOf(items);
        }

        @Override
        public Type type() {
            return new Type.ListOf(Values.commonType(items));
        }
    }

    /** A map or object: string keys, sorted. */
    record MapVal(SortedMap<String, Value> entries) implements Value {
        public MapVal {
            entries = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(entries));
        }

        public static MapVal of(Map<String, Value> entries) {
            return new MapVal(new TreeMap<>(entries));
        }

        @Override
        public Type type() {
            return new Type.MapOf(Values.commonType(entries.values()));
        }
    }

    /**
     * A reference to a declared block, such as {@code image.app} or {@code fleet.worker["eu"]}: its address
     * and the attributes it exposes ({@code image.app.id}, {@code fleet.web.desired}).
     */
    record Ref(String kind, String address, MapVal attributes) implements Value {
        @Override
        public Type type() {
            return new Type.Ref(kind);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ref r && r.address.equals(address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }
    }

    /** A value not known yet; {@code reason} is what it waits for, such as "known after bake". */
    record Unknown(Type type, String reason) implements Value {
        public static final String AFTER_BAKE = "known after bake";
        public static final String AT_PLAN = "known at plan time";

        public static Unknown afterBake(Type type) {
            return new Unknown(type, AFTER_BAKE);
        }
    }

    /** A secret: it is used like the value inside, and never shown or written anywhere in clear. */
    record Sensitive(Value inner) implements Value {
        public Sensitive {
            if (inner instanceof Sensitive s) {
                inner = s.inner;
            }
        }

        @Override
        public Type type() {
            return inner.type();
        }
    }
}
