package dev.imm.eval;

import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The string functions: {@code format join split upper lower replace trim trimprefix trimsuffix substr
 * startswith endswith regex}. Lengths and offsets count Unicode code points, as the language's columns do.
 * Also the small argument helpers the other function groups share.
 */
final class StringFunctions {
    private static final Type STRINGS = new Type.ListOf(Type.STRING);
    private static final String VERBS = "%s %d %f %.2f %q %v %t %%";

    private StringFunctions() {
    }

    static void register(Functions.Builder b) {
        b.addVariadic("format", List.of(Type.STRING, Type.ANY), Type.STRING,
                "Formats values into a string with verbs %s %d %f %.Nf %q %v %t and %%",
                (args, ctx) -> new Value.Str(format(args)));
        b.add("join", List.of(Type.STRING, STRINGS), Type.STRING,
                "Joins a list of strings with a separator between them",
                (args, ctx) -> new Value.Str(String.join(string("join", args, 0), strings("join", args, 1))));
        b.add("split", List.of(Type.STRING, Type.STRING), STRINGS,
                "Splits a string at every occurrence of a separator into a list of strings",
                (args, ctx) -> split(string("split", args, 0), string("split", args, 1)));
        b.add("upper", List.of(Type.STRING), Type.STRING,
                "Converts all letters of a string to upper case",
                (args, ctx) -> new Value.Str(string("upper", args, 0).toUpperCase(Locale.ROOT)));
        b.add("lower", List.of(Type.STRING), Type.STRING,
                "Converts all letters of a string to lower case",
                (args, ctx) -> new Value.Str(string("lower", args, 0).toLowerCase(Locale.ROOT)));
        b.add("replace", List.of(Type.STRING, Type.STRING, Type.STRING), Type.STRING,
                "Replaces every occurrence of a substring (a regular expression when written as /re/)",
                (args, ctx) -> new Value.Str(replace(string("replace", args, 0), string("replace", args, 1),
                        string("replace", args, 2))));
        b.add("trim", List.of(Type.STRING, Type.STRING), Type.STRING,
                "Removes the given characters from both ends of a string",
                (args, ctx) -> new Value.Str(trim(string("trim", args, 0), string("trim", args, 1))));
        b.add("trimprefix", List.of(Type.STRING, Type.STRING), Type.STRING,
                "Removes a prefix from a string once, if the string starts with it",
                (args, ctx) -> {
                    String s = string("trimprefix", args, 0);
                    String prefix = string("trimprefix", args, 1);
                    return new Value.Str(s.startsWith(prefix) ? s.substring(prefix.length()) : s);
                });
        b.add("trimsuffix", List.of(Type.STRING, Type.STRING), Type.STRING,
                "Removes a suffix from a string once, if the string ends with it",
                (args, ctx) -> {
                    String s = string("trimsuffix", args, 0);
                    String suffix = string("trimsuffix", args, 1);
                    return new Value.Str(s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s);
                });
        b.add("substr", List.of(Type.STRING, Type.NUMBER, Type.NUMBER), Type.STRING,
                "Extracts length characters from offset (negative offset counts from the end, length -1 is to the end)",
                (args, ctx) -> new Value.Str(substr(string("substr", args, 0), integer("substr", args, 1),
                        integer("substr", args, 2))));
        b.add("startswith", List.of(Type.STRING, Type.STRING), Type.BOOL,
                "Whether a string starts with the given prefix",
                (args, ctx) -> Value.Bool.of(string("startswith", args, 0).startsWith(string("startswith", args, 1))));
        b.add("endswith", List.of(Type.STRING, Type.STRING), Type.BOOL,
                "Whether a string ends with the given suffix",
                (args, ctx) -> Value.Bool.of(string("endswith", args, 0).endsWith(string("endswith", args, 1))));
        b.add("regex", List.of(Type.STRING, Type.STRING), Type.ANY,
                "The first match of a regular expression: the text, a list of its groups, or a map of its named groups",
                (args, ctx) -> regex(string("regex", args, 0), string("regex", args, 1)));
    }

    // ---- helpers shared by the function groups ----

    /** {@code function: argument N must be WANTED, got …}, the message {@link Conversions} gives too. */
    static FunctionError wrongType(String function, int argument, String wanted, Value got) {
        return new FunctionError(argument, function + ": argument " + (argument + 1) + " must be " + wanted
                + ", got " + Conversions.describe(got));
    }

    /** Argument {@code i} as a string; {@code null} is refused (type checks let it through). */
    static String string(String function, List<Value> args, int i) throws FunctionError {
        if (args.get(i) instanceof Value.Str s) {
            return s.value();
        }
        throw wrongType(function, i, "a string", args.get(i));
    }

    /** Argument {@code i} as a whole number that fits an {@code int}. */
    static int integer(String function, List<Value> args, int i) throws FunctionError {
        Value v = args.get(i);
        if (!(v instanceof Value.Num n)) {
            throw wrongType(function, i, "a number", v);
        }
        if (!n.isInteger()) {
            throw new FunctionError(i, function + ": argument " + (i + 1) + " must be a whole number, got "
                    + Conversions.describe(v));
        }
        try {
            return n.value().intValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new FunctionError(i, function + ": argument " + (i + 1) + " is out of range, got "
                    + Conversions.describe(v));
        }
    }

    /** Argument {@code i} as a list's items. */
    static List<Value> list(String function, List<Value> args, int i) throws FunctionError {
        if (args.get(i) instanceof Value.ListVal l) {
            return l.items();
        }
        throw wrongType(function, i, "a list", args.get(i));
    }

    /** Argument {@code i} as a map's entries. */
    static Map<String, Value> map(String function, List<Value> args, int i) throws FunctionError {
        if (args.get(i) instanceof Value.MapVal m) {
            return m.entries();
        }
        throw wrongType(function, i, "a map", args.get(i));
    }

    /** Argument {@code i} as a list of strings, none of them null. */
    static List<String> strings(String function, List<Value> args, int i) throws FunctionError {
        List<String> out = new ArrayList<>();
        List<Value> items = list(function, args, i);
        for (int k = 0; k < items.size(); k++) {
            if (!(items.get(k) instanceof Value.Str s)) {
                throw new FunctionError(i, function + ": element " + k + " of argument " + (i + 1)
                        + " must be a string, got " + Conversions.describe(items.get(k)));
            }
            out.add(s.value());
        }
        return out;
    }

    /** The code points of a string, each as a string. */
    static List<String> codePoints(String s) {
        List<String> out = new ArrayList<>();
        s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        return out;
    }

    // ---- format ----

    static String format(List<Value> args) throws FunctionError {
        String spec = string("format", args, 0);
        StringBuilder out = new StringBuilder();
        int next = 1;
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int start = i++;
            if (i < spec.length() && spec.charAt(i) == '%') {
                out.append('%');
                i++;
                continue;
            }
            Integer precision = null;
            if (i < spec.length() && spec.charAt(i) == '.') {
                int digits = ++i;
                while (i < spec.length() && Character.isDigit(spec.charAt(i))) {
                    i++;
                }
                if (i == digits) {
                    throw badVerb(spec, start, i);
                }
                try {
                    precision = Integer.parseInt(spec.substring(digits, i));
                } catch (NumberFormatException tooLong) {
                    throw badVerb(spec, start, i);
                }
                if (precision > 100) {
                    throw new FunctionError(0, "format: precision " + precision + " is too large (at most 100)",
                            "write for example %.2f");
                }
            }
            if (i >= spec.length()) {
                throw new FunctionError(0, "format: the format string ends with an incomplete verb \""
                        + spec.substring(start) + "\"", "write %% for a literal percent sign; verbs are " + VERBS);
            }
            int verbEnd = i + Character.charCount(spec.codePointAt(i));
            char verb = spec.charAt(i);
            if ("sdfqvt".indexOf(verb) < 0 || precision != null && verb != 'f') {
                throw badVerb(spec, start, verbEnd);
            }
            i = verbEnd;
            if (next >= args.size()) {
                throw new FunctionError(-1, "format: the format string has more verbs than the " + (args.size() - 1)
                        + " value" + (args.size() == 2 ? "" : "s") + " given",
                        "give one value for each verb; write %% for a literal percent sign");
            }
            out.append(formatOne(verb, precision, args.get(next), next));
            next++;
        }
        if (next < args.size()) {
            int used = next - 1;
            throw new FunctionError(next, "format: too many values: the format string uses " + used
                    + " but " + (args.size() - 1) + " were given", "add a verb such as %s for each value, or remove the value");
        }
        return out.toString();
    }

    private static FunctionError badVerb(String spec, int start, int end) {
        return new FunctionError(0, "format: unsupported verb \"" + spec.substring(start, Math.min(end, spec.length()))
                + "\" in the format string", "the verbs are " + VERBS);
    }

    private static String formatOne(char verb, Integer precision, Value v, int argument) throws FunctionError {
        String verbText = "%" + (precision == null ? "" : "." + precision) + verb;
        switch (verb) {
            case 's': {
                if (Conversions.hasText(v)) {
                    return Conversions.text(v);
                }
                if (v instanceof Value.Ref r) {
                    return r.address();
                }
                throw new FunctionError(argument, "format: %s cannot show " + Conversions.describe(v),
                        v instanceof Value.Null ? "use %v to show null" : "use %v or jsonencode for lists and maps");
            }
            case 'v':
                if (Conversions.hasText(v)) {
                    return Conversions.text(v);
                }
                return v instanceof Value.Ref r ? r.address() : EncodingFunctions.json(v);
            case 'q': {
                if (Conversions.hasText(v)) {
                    return EncodingFunctions.json(new Value.Str(Conversions.text(v)));
                }
                throw new FunctionError(argument, "format: %q cannot quote " + Conversions.describe(v),
                        "use jsonencode for lists and maps");
            }
            case 't': {
                Value b = v instanceof Value.Str s && (s.value().equals("true") || s.value().equals("false"))
                        ? Value.Bool.of(Boolean.parseBoolean(s.value())) : v;
                if (b instanceof Value.Bool bool) {
                    return String.valueOf(bool.value());
                }
                throw new FunctionError(argument, "format: %t needs a bool, got " + Conversions.describe(v),
                        "use %s or %v for other values");
            }
            default: {
                Value n = Conversions.toNumber(v).orElse(null);
                if (!(n instanceof Value.Num num)) {
                    throw new FunctionError(argument, "format: " + verbText + " needs a number, got "
                            + Conversions.describe(v), "use %s or %v for other values");
                }
                if (verb == 'd') {
                    if (!num.isInteger()) {
                        throw new FunctionError(argument, "format: %d needs a whole number, got "
                                + Conversions.describe(v), "use %f or %.2f for fractions");
                    }
                    return num.value().toPlainString();
                }
                return num.value().setScale(precision == null ? 6 : precision, RoundingMode.HALF_EVEN).toPlainString();
            }
        }
    }

    // ---- split, replace, trim, substr ----

    static Value split(String separator, String s) {
        List<Value> parts = new ArrayList<>();
        if (separator.isEmpty()) {
            for (String cp : codePoints(s)) {
                parts.add(new Value.Str(cp));
            }
            return new Value.ListVal(parts);
        }
        int from = 0;
        while (true) {
            int at = s.indexOf(separator, from);
            if (at < 0) {
                parts.add(new Value.Str(s.substring(from)));
                return new Value.ListVal(parts);
            }
            parts.add(new Value.Str(s.substring(from, at)));
            from = at + separator.length();
        }
    }

    static String replace(String s, String search, String replacement) throws FunctionError {
        if (search.length() > 1 && search.startsWith("/") && search.endsWith("/")) {
            Pattern pattern = compile("replace", search.substring(1, search.length() - 1), 1);
            try {
                return pattern.matcher(s).replaceAll(replacement);
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new FunctionError(2, "replace: invalid replacement \"" + replacement + "\": " + e.getMessage(),
                        "refer to groups as $1 or ${name}; write \\$ for a literal dollar sign");
            }
        }
        return s.replace(search, replacement);
    }

    static String trim(String s, String cutset) {
        int[] cps = s.codePoints().toArray();
        int start = 0;
        int end = cps.length;
        while (start < end && cutset.indexOf(new String(Character.toChars(cps[start]))) >= 0) {
            start++;
        }
        while (end > start && cutset.indexOf(new String(Character.toChars(cps[end - 1]))) >= 0) {
            end--;
        }
        return new String(cps, start, end - start);
    }

    static String substr(String s, int offset, int length) throws FunctionError {
        if (length < -1) {
            throw new FunctionError(2, "substr: length must be -1 (to the end) or more, got " + length,
                    "substr(\"hello\", 1, 3) is \"ell\"; substr(\"hello\", 1, -1) is \"ello\"");
        }
        int[] cps = s.codePoints().toArray();
        int start = offset < 0 ? Math.max(0, cps.length + offset) : Math.min(offset, cps.length);
        int end = length == -1 ? cps.length : (int) Math.min((long) start + length, cps.length);
        return new String(cps, start, end - start);
    }

    // ---- regex ----

    static Pattern compile(String function, String pattern, int argument) throws FunctionError {
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            String near = e.getIndex() >= 0 ? " at position " + (e.getIndex() + 1) : "";
            throw new FunctionError(argument, function + ": invalid regular expression \"" + pattern + "\": "
                    + e.getDescription() + near, "patterns use Java regular expression syntax; escape special characters with \\\\");
        }
    }

    static Value regex(String pattern, String s) throws FunctionError {
        Pattern p = compile("regex", pattern, 0);
        Matcher m = p.matcher(s);
        List<String> named = namedGroups(pattern);
        if (!named.isEmpty() && named.size() != m.groupCount()) {
            throw new FunctionError(0, "regex: the pattern \"" + pattern + "\" mixes named and unnamed groups",
                    "name every group as (?<name>…), or make the others non-capturing with (?:…)");
        }
        if (!m.find()) {
            throw new FunctionError(-1, "regex: no match for pattern \"" + pattern + "\"",
                    "the pattern may match anywhere in the string; check it against the text");
        }
        if (m.groupCount() == 0) {
            return new Value.Str(m.group());
        }
        if (!named.isEmpty()) {
            TreeMap<String, Value> groups = new TreeMap<>();
            for (String name : named) {
                try {
                    groups.put(name, group(m.group(name)));
                } catch (IllegalArgumentException notAGroup) {
                    // the scan of the pattern was fooled (e.g. by a nested character class); skip it
                }
            }
            return new Value.MapVal(groups);
        }
        List<Value> groups = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            groups.add(group(m.group(g)));
        }
        return new Value.ListVal(groups);
    }

    private static Value group(String text) {
        return text == null ? Value.Null.INSTANCE : new Value.Str(text);
    }

    /** The names of {@code (?<name>…)} groups, in order (Java 17 has no API for them). */
    static List<String> namedGroups(String pattern) {
        List<String> names = new ArrayList<>();
        boolean inClass = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (pattern.startsWith("Q", i + 1)) {
                    int end = pattern.indexOf("\\E", i + 2);
                    i = end < 0 ? pattern.length() : end + 1;
                } else {
                    i++;
                }
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                if (pattern.startsWith("]", i + 1) || pattern.startsWith("^]", i + 1)) {
                    i += pattern.charAt(i + 1) == '^' ? 2 : 1;
                }
            } else if (pattern.startsWith("(?<", i) && i + 3 < pattern.length()
                    && Character.isLetter(pattern.charAt(i + 3))) {
                int end = pattern.indexOf('>', i + 3);
                if (end > 0) {
                    names.add(pattern.substring(i + 3, end));
                }
            }
        }
        return names;
    }

    static Value strList(List<String> items) {
        List<Value> out = new ArrayList<>();
        for (String item : items) {
            out.add(Values.str(item));
        }
        return new Value.ListVal(out);
    }
}
