package dev.imm.eval;

import static dev.imm.eval.StringFunctions.integer;
import static dev.imm.eval.StringFunctions.list;
import static dev.imm.eval.StringFunctions.map;
import static dev.imm.eval.StringFunctions.string;
import static dev.imm.eval.StringFunctions.strings;
import static dev.imm.eval.StringFunctions.wrongType;

import dev.imm.diag.DidYouMean;
import dev.imm.value.Type;
import dev.imm.value.Value;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collection functions: {@code length concat merge keys values lookup contains distinct flatten range
 * sort reverse zipmap}. Maps keep their keys sorted, so {@code keys} and {@code values} follow that order.
 */
final class CollectionFunctions {
    /** The most elements {@code range} makes, so that a typo cannot exhaust memory. */
    static final int RANGE_LIMIT = 10_000;

    private static final Type LIST = new Type.ListOf(Type.ANY);
    private static final Type MAP = new Type.MapOf(Type.ANY);
    private static final Type STRINGS = new Type.ListOf(Type.STRING);

    private CollectionFunctions() {
    }

    static void register(Functions.Builder b) {
        b.add("length", List.of(Type.ANY), Type.NUMBER,
                "The number of characters of a string, elements of a list, or entries of a map",
                (args, ctx) -> Value.Num.of(length(args.get(0))));
        b.addVariadic("concat", List.of(LIST), LIST,
                "Joins lists into one list, in order",
                (args, ctx) -> concat(args));
        b.addVariadic("merge", List.of(MAP), MAP,
                "Merges maps into one; for a key in several maps the last one wins",
                (args, ctx) -> merge(args));
        b.add("keys", List.of(MAP), STRINGS,
                "The keys of a map, sorted",
                (args, ctx) -> StringFunctions.strList(new ArrayList<>(map("keys", args, 0).keySet())));
        b.add("values", List.of(MAP), LIST,
                "The values of a map, in the order of their sorted keys",
                (args, ctx) -> new Value.ListVal(new ArrayList<>(map("values", args, 0).values())));
        b.addVariadic("lookup", List.of(MAP, Type.STRING, Type.ANY), Type.ANY,
                "The value of a key in a map, or the default (third argument) when the key is missing",
                (args, ctx) -> lookup(args));
        b.add("contains", List.of(LIST, Type.ANY), Type.BOOL,
                "Whether a list contains a value",
                (args, ctx) -> Value.Bool.of(list("contains", args, 0).contains(args.get(1))));
        b.add("distinct", List.of(LIST), LIST,
                "A list without its duplicate elements, keeping the first of each",
                (args, ctx) -> new Value.ListVal(new ArrayList<>(new LinkedHashSet<>(list("distinct", args, 0)))));
        b.add("flatten", List.of(LIST), LIST,
                "Replaces every list inside a list by its elements, at any depth",
                (args, ctx) -> {
                    List<Value> out = new ArrayList<>();
                    flatten(list("flatten", args, 0), out);
                    return new Value.ListVal(out);
                });
        b.addVariadic("range", List.of(Type.NUMBER), new Type.ListOf(Type.NUMBER),
                "Whole numbers: range(limit), range(start, limit) or range(start, limit, step), limit excluded",
                (args, ctx) -> range(args));
        b.add("sort", List.of(STRINGS), STRINGS,
                "A list of strings in lexical order",
                (args, ctx) -> {
                    List<String> items = strings("sort", args, 0);
                    items.sort(CollectionFunctions::compareCodePoints);
                    return StringFunctions.strList(items);
                });
        b.add("reverse", List.of(LIST), LIST,
                "A list in reverse order",
                (args, ctx) -> {
                    List<Value> items = new ArrayList<>(list("reverse", args, 0));
                    java.util.Collections.reverse(items);
                    return new Value.ListVal(items);
                });
        b.add("zipmap", List.of(STRINGS, LIST), MAP,
                "A map from a list of keys and a list of values of the same length",
                (args, ctx) -> zipmap(args));
    }

    static int length(Value v) throws FunctionError {
        if (v instanceof Value.Str s) {
            return s.value().codePointCount(0, s.value().length());
        }
        if (v instanceof Value.ListVal l) {
            return l.items().size();
        }
        if (v instanceof Value.MapVal m) {
            return m.entries().size();
        }
        throw wrongType("length", 0, "a string, a list or a map", v);
    }

    static Value concat(List<Value> args) throws FunctionError {
        if (args.isEmpty()) {
            throw new FunctionError(-1, "concat takes at least 1 argument, got 0", "concat(list(any)...) -> list(any)");
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            out.addAll(list("concat", args, i));
        }
        return new Value.ListVal(out);
    }

    static Value merge(List<Value> args) throws FunctionError {
        TreeMap<String, Value> out = new TreeMap<>();
        for (int i = 0; i < args.size(); i++) {
            if (!(args.get(i) instanceof Value.Null)) {
                out.putAll(map("merge", args, i));
            }
        }
        return new Value.MapVal(out);
    }

    static Value lookup(List<Value> args) throws FunctionError {
        if (args.size() > 3) {
            throw new FunctionError(-1, "lookup takes 2 or 3 arguments, got " + args.size(),
                    "lookup(map, key) or lookup(map, key, default)");
        }
        Map<String, Value> entries = map("lookup", args, 0);
        String key = string("lookup", args, 1);
        Value found = entries.get(key);
        if (found != null) {
            return found;
        }
        if (args.size() == 3) {
            return args.get(2);
        }
        String hint = DidYouMean.hint(key, entries.keySet());
        throw new FunctionError(1, "lookup: the map has no key \"" + key + "\"",
                (hint.isEmpty() ? "" : hint + " ") + "give a default as the third argument to allow missing keys");
    }

    static void flatten(List<Value> items, List<Value> out) {
        for (Value item : items) {
            if (item instanceof Value.ListVal l) {
                flatten(l.items(), out);
            } else {
                out.add(item);
            }
        }
    }

    static Value range(List<Value> args) throws FunctionError {
        if (args.isEmpty() || args.size() > 3) {
            throw new FunctionError(-1, "range takes 1 to 3 arguments, got " + args.size(),
                    "range(limit), range(start, limit) or range(start, limit, step)");
        }
        long start = 0;
        long limit;
        if (args.size() == 1) {
            limit = integer("range", args, 0);
        } else {
            start = integer("range", args, 0);
            limit = integer("range", args, 1);
        }
        long step = args.size() == 3 ? integer("range", args, 2) : start <= limit ? 1 : -1;
        if (step == 0) {
            throw new FunctionError(2, "range: step must not be 0", "use 1 to count up or -1 to count down");
        }
        if (step > 0 && start >= limit || step < 0 && start <= limit) {
            return new Value.ListVal(List.of());
        }
        long count = (Math.abs(limit - start) + Math.abs(step) - 1) / Math.abs(step);
        if (count > RANGE_LIMIT) {
            throw new FunctionError(-1, "range: would make " + count + " numbers, more than the limit of " + RANGE_LIMIT,
                    "narrow the range or use a larger step");
        }
        List<Value> out = new ArrayList<>();
        for (long n = start, i = 0; i < count; i++, n += step) {
            out.add(new Value.Num(BigDecimal.valueOf(n)));
        }
        return new Value.ListVal(out);
    }

    /** Lexical order by Unicode code point (UTF-16 order differs above U+FFFF). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static Value zipmap(List<Value> args) throws FunctionError {
        List<String> keys = strings("zipmap", args, 0);
        List<Value> values = list("zipmap", args, 1);
        if (keys.size() != values.size()) {
            throw new FunctionError(1, "zipmap: " + keys.size() + " key" + (keys.size() == 1 ? "" : "s") + " but "
                    + values.size() + " value" + (values.size() == 1 ? "" : "s"),
                    "the two lists must have the same length");
        }
        TreeMap<String, Value> out = new TreeMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), values.get(i));
        }
        return new Value.MapVal(out);
    }
}
