package dev.imm.eval;

import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The built-in functions by name. Calls go through {@link #call}, which checks the number of arguments
 * and their types (converting numbers and bools where a string is wanted), returns an unknown result when
 * an argument is not known yet, and marks the result sensitive when an argument is.
 */
public final class Functions {
    private static final Functions STANDARD = build();

    private final SortedMap<String, BuiltinFunction> byName;

    private Functions(SortedMap<String, BuiltinFunction> byName) {
        this.byName = Collections.unmodifiableSortedMap(byName);
    }

    public static Functions standard() {
        return STANDARD;
    }

    private static Functions build() {
        Builder b = new Builder();
        StringFunctions.register(b);
        CollectionFunctions.register(b);
        EncodingFunctions.register(b);
        FileFunctions.register(b);
        ConversionFunctions.register(b);
        return new Functions(b.functions);
    }

    /** Collects function definitions; a name defined twice is a bug. */
    public static final class Builder {
        private final SortedMap<String, BuiltinFunction> functions = new TreeMap<>();

        public Builder add(String name, List<Type> params, Type result, String description, BuiltinFunction.Body body) {
            return put(new BuiltinFunction(name, params, false, result, description, body));
        }

        public Builder addVariadic(String name, List<Type> params, Type result, String description,
                                   BuiltinFunction.Body body) {
            return put(new BuiltinFunction(name, params, true, result, description, body));
        }

        private Builder put(BuiltinFunction f) {
            if (functions.put(f.name(), f) != null) {
                throw new IllegalStateException("function defined twice: " + f.name());
            }
            return this;
        }
    }

    public BuiltinFunction lookup(String name) {
        return byName.get(name);
    }

    public java.util.Set<String> names() {
        return byName.keySet();
    }

    /**
     * Calls {@code f}. Argument problems come back as a {@link FunctionError} naming the argument.
     */
    public Value call(BuiltinFunction f, List<Value> args, FunctionContext context) throws FunctionError {
        int min = f.variadic() ? f.params().size() - 1 : f.params().size();
        if (args.size() < min || (!f.variadic() && args.size() > f.params().size())) {
            String expected = f.variadic() ? "at least " + min : String.valueOf(min);
            throw new FunctionError(-1, f.name() + " takes " + expected + " argument" + (min == 1 ? "" : "s")
                    + ", got " + args.size(), f.signature());
        }
        // known arguments are checked even when another one is unknown, so type errors show at validate
        List<Value> checked = new ArrayList<>(args.size());
        boolean sensitive = false;
        Value unknown = null;
        for (int i = 0; i < args.size(); i++) {
            Value arg = args.get(i);
            if (!Values.isWhollyKnown(arg)) {
                unknown = unknown == null ? arg : unknown;
                checked.add(arg);
                continue;
            }
            boolean secret = Values.containsSensitive(arg);
            sensitive |= secret;
            Type wanted = f.params().get(Math.min(i, f.params().size() - 1));
            Optional<Value> converted = Conversions.implicit(unmarkAll(arg), wanted);
            if (converted.isEmpty()) {
                throw new FunctionError(i, f.name() + ": argument " + (i + 1) + " must be " + Conversions.article(wanted)
                        + ", got " + (secret ? "a sensitive " + Values.unmarked(arg).type() : Conversions.describe(arg)));
            }
            checked.add(converted.get());
        }
        if (unknown != null) {
            return Values.markedLike(new Value.Unknown(f.result(), unknownReason(unknown)), args);
        }
        Value result;
        try {
            result = f.body().call(checked, context);
        } catch (FunctionError refused) {
            if (!sensitive) {
                throw refused;
            }
            // the message may quote the argument: say what failed, never the value
            throw new FunctionError(refused.argument(), f.name() + " refused "
                    + (refused.argument() >= 0 ? "argument " + (refused.argument() + 1) : "its arguments")
                    + " (a sensitive value, not shown)", "");
        }
        return sensitive ? new Value.Sensitive(result) : result;
    }

    private static String unknownReason(Value v) {
        Value u = Values.unmarked(v);
        if (u instanceof Value.Unknown unknown) {
            return unknown.reason();
        }
        Iterable<Value> inner = u instanceof Value.ListVal l ? l.items() : ((Value.MapVal) u).entries().values();
        for (Value item : inner) {
            if (!Values.isWhollyKnown(item)) {
                return unknownReason(item);
            }
        }
        return Value.Unknown.AFTER_BAKE;
    }

    /** The value with every sensitive mark removed, at any depth. */
    static Value unmarkAll(Value v) {
        Value u = Values.unmarked(v);
        if (u instanceof Value.ListVal l) {
            List<Value> items = new ArrayList<>();
            for (Value item : l.items()) {
                items.add(unmarkAll(item));
            }
            return new Value.ListVal(items);
        }
        if (u instanceof Value.MapVal m) {
            TreeMap<String, Value> entries = new TreeMap<>();
            m.entries().forEach((k, item) -> entries.put(k, unmarkAll(item)));
            return new Value.MapVal(entries);
        }
        return u;
    }
}
