package dev.imm.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every built-in function, called the way the evaluator calls it: through {@link Functions#call}, with a
 * {@link FunctionContext} whose stack directory is a temporary directory.
 */
class FunctionsTest {
    private static final Functions FUNCTIONS = Functions.standard();

    @TempDir
    Path root;

    private Path stack;
    private FunctionContext ctx;

    @BeforeEach
    void stack() throws IOException {
        stack = root.resolve("stack");
        Files.createDirectories(stack.resolve("data"));
        Files.writeString(stack.resolve("data/greeting.txt"), "hello\n");
        Files.writeString(stack.resolve("data/motd.tftpl"), "welcome to ${name}\n");
        Files.write(stack.resolve("data/binary.bin"), new byte[] {(byte) 0xff, 0x00, 0x10});
        Files.writeString(root.resolve("secret.txt"), "outside the stack\n");
        ctx = new StackContext(stack);
    }

    // ---- the fake context: files of a stack directory, refusing relative paths that leave it ----

    /** Applies the rule of {@link FunctionContext}: relative paths must stay inside the stack directory. */
    static final class StackContext implements FunctionContext {
        private final Path dir;
        final List<String> rendered = new ArrayList<>();

        StackContext(Path dir) {
            this.dir = dir.toAbsolutePath().normalize();
        }

        private Path resolve(String path, int argument) throws FunctionError {
            Path given = Path.of(path);
            if (given.isAbsolute()) {
                return given.normalize();
            }
            Path resolved = dir.resolve(given).normalize();
            if (!resolved.startsWith(dir)) {
                throw new FunctionError(argument, "the path \"" + path + "\" is outside the stack directory",
                        "use a path inside the stack, or an absolute path");
            }
            return resolved;
        }

        @Override
        public String readFile(String path, int argument) throws FunctionError {
            return new String(readBytes(path, argument), StandardCharsets.UTF_8);
        }

        @Override
        public byte[] readBytes(String path, int argument) throws FunctionError {
            try {
                return Files.readAllBytes(resolve(path, argument));
            } catch (NoSuchFileException e) {
                throw new FunctionError(argument, "no file \"" + path + "\"");
            } catch (IOException e) {
                throw new FunctionError(argument, "cannot read \"" + path + "\": " + e.getMessage());
            }
        }

        @Override
        public boolean fileExists(String path, int argument) throws FunctionError {
            return Files.isRegularFile(resolve(path, argument));
        }

        @Override
        public Value renderTemplate(String text, String path, Value.MapVal vars) {
            rendered.add(path);
            String out = text;
            for (Map.Entry<String, Value> e : vars.entries().entrySet()) {
                out = out.replace("${" + e.getKey() + "}", Conversions.text(e.getValue()));
            }
            return new Value.Str(out);
        }
    }

    // ---- helpers ----

    private Value call(String name, Value... args) throws FunctionError {
        BuiltinFunction f = FUNCTIONS.lookup(name);
        assertNotNull(f, "no function " + name);
        return FUNCTIONS.call(f, Arrays.asList(args), ctx);
    }

    private FunctionError fails(String name, Value... args) {
        return assertThrows(FunctionError.class, () -> call(name, args), () -> name + " should have failed");
    }

    private void assertFails(int argument, String messagePart, String name, Value... args) {
        FunctionError e = fails(name, args);
        assertEquals(argument, e.argument(), () -> "argument of: " + e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> "message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
        boolean fromContext = e.getMessage().startsWith("the path ") || e.getMessage().startsWith("no file ");
        assertTrue(fromContext || e.getMessage().startsWith(name), () -> "message should name the function: " + e.getMessage());
        assertTrue(!e.getMessage().endsWith("."), () -> "summary ends with a period: " + e.getMessage());
    }

    private void assertCall(Value expected, String name, Value... args) throws FunctionError {
        assertEquals(expected, call(name, args), () -> name + Values.render(new Value.ListVal(Arrays.asList(args))));
    }

    static Value s(String text) {
        return new Value.Str(text);
    }

    static Value n(String number) {
        return new Value.Num(new BigDecimal(number));
    }

    static Value n(long number) {
        return Value.Num.of(number);
    }

    static Value b(boolean value) {
        return Value.Bool.of(value);
    }

    static Value list(Value... items) {
        return new Value.ListVal(Arrays.asList(items));
    }

    static Value strings(String... items) {
        List<Value> out = new ArrayList<>();
        for (String item : items) {
            out.add(s(item));
        }
        return new Value.ListVal(out);
    }

    static Value map(Object... keysAndValues) {
        TreeMap<String, Value> entries = new TreeMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.put((String) keysAndValues[i], (Value) keysAndValues[i + 1]);
        }
        return new Value.MapVal(entries);
    }

    static final Value NULL = Value.Null.INSTANCE;

    static Value duration(String text) {
        return new Value.Duration(dev.imm.value.Durations.parse(text).orElseThrow());
    }

    static Value percent(String number) {
        return new Value.Percent(new BigDecimal(number));
    }

    static Value secret(Value v) {
        return new Value.Sensitive(v);
    }

    static Value unknown(Type type) {
        return Value.Unknown.afterBake(type);
    }

    static Value imageRef() {
        return new Value.Ref("image", "image.app", (Value.MapVal) map("id", unknown(Type.STRING)));
    }

    // ---- the set of functions, and the rules every one of them follows ----

    static final List<String> ALL = List.of(
            "format", "join", "split", "upper", "lower", "replace", "trim", "trimprefix", "trimsuffix", "substr",
            "startswith", "endswith", "regex",
            "length", "concat", "merge", "keys", "values", "lookup", "contains", "distinct", "flatten", "range",
            "sort", "reverse", "zipmap",
            "jsonencode", "jsondecode", "base64encode", "base64decode", "sha256", "filesha256",
            "file", "fileexists", "templatefile",
            "tostring", "tonumber", "toduration", "topercent");

    /** One valid call of every function, with the argument whose unknown or sensitive form is tried. */
    private Map<String, List<Value>> samples() {
        Map<String, List<Value>> m = new LinkedHashMap<>();
        m.put("format", List.of(s("%s-%d"), s("web"), n(3)));
        m.put("join", List.of(s(","), strings("a", "b")));
        m.put("split", List.of(s(","), s("a,b")));
        m.put("upper", List.of(s("web")));
        m.put("lower", List.of(s("WEB")));
        m.put("replace", List.of(s("a-b"), s("-"), s("_")));
        m.put("trim", List.of(s("  x "), s(" ")));
        m.put("trimprefix", List.of(s("web-1"), s("web-")));
        m.put("trimsuffix", List.of(s("web-1"), s("-1")));
        m.put("substr", List.of(s("hello"), n(1), n(3)));
        m.put("startswith", List.of(s("hello"), s("he")));
        m.put("endswith", List.of(s("hello"), s("lo")));
        m.put("regex", List.of(s("[0-9]+"), s("v12")));
        m.put("length", List.of(strings("a", "b")));
        m.put("concat", List.of(strings("a"), strings("b")));
        m.put("merge", List.of(map("a", n(1)), map("b", n(2))));
        m.put("keys", List.of(map("a", n(1))));
        m.put("values", List.of(map("a", n(1))));
        m.put("lookup", List.of(map("a", n(1)), s("a")));
        m.put("contains", List.of(strings("a", "b"), s("a")));
        m.put("distinct", List.of(strings("a", "a")));
        m.put("flatten", List.of(list(strings("a"), strings("b"))));
        m.put("range", List.of(n(3)));
        m.put("sort", List.of(strings("b", "a")));
        m.put("reverse", List.of(strings("a", "b")));
        m.put("zipmap", List.of(strings("a"), list(n(1))));
        m.put("jsonencode", List.of(map("a", n(1))));
        m.put("jsondecode", List.of(s("{\"a\": 1}")));
        m.put("base64encode", List.of(s("hello")));
        m.put("base64decode", List.of(s("aGVsbG8=")));
        m.put("sha256", List.of(s("hello")));
        m.put("filesha256", List.of(s("data/greeting.txt")));
        m.put("file", List.of(s("data/greeting.txt")));
        m.put("fileexists", List.of(s("data/greeting.txt")));
        m.put("templatefile", List.of(s("data/motd.tftpl"), map("name", s("web"))));
        m.put("tostring", List.of(n(5)));
        m.put("tonumber", List.of(s("5")));
        m.put("toduration", List.of(s("90s")));
        m.put("topercent", List.of(s("10%")));
        return m;
    }

    @Test
    void theStandardSetHasExactlyTheFunctionsOfTheSpecification() {
        assertEquals(39, ALL.size());
        assertEquals(new TreeSet<>(ALL), new TreeSet<>(FUNCTIONS.names()));
    }

    @Test
    void everyFunctionHasADescriptionOnOneLine() {
        for (String name : FUNCTIONS.names()) {
            String description = FUNCTIONS.lookup(name).description();
            assertTrue(!description.isBlank() && !description.contains("\n"), name);
        }
    }

    @TestFactory
    List<DynamicTest> everyFunctionAcceptsItsSample() {
        List<DynamicTest> tests = new ArrayList<>();
        assertEquals(new TreeSet<>(ALL), new TreeSet<>(samples().keySet()));
        samples().forEach((name, args) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            Value result = call(name, args.toArray(new Value[0]));
            assertTrue(Values.isWhollyKnown(result) && !Values.containsSensitive(result), Values.render(result));
        })));
        return tests;
    }

    @TestFactory
    List<DynamicTest> anUnknownArgumentGivesAnUnknownResult() {
        List<DynamicTest> tests = new ArrayList<>();
        samples().forEach((name, args) -> {
            for (int i = 0; i < args.size(); i++) {
                int at = i;
                tests.add(DynamicTest.dynamicTest(name + " argument " + (i + 1), () -> {
                    Value[] withUnknown = args.toArray(new Value[0]);
                    withUnknown[at] = unknown(withUnknown[at].type());
                    Value result = call(name, withUnknown);
                    Value.Unknown u = assertInstanceOf(Value.Unknown.class, result);
                    assertEquals(Value.Unknown.AFTER_BAKE, u.reason());
                }));
            }
        });
        return tests;
    }

    @Test
    void anUnknownInsideACollectionAlsoGivesAnUnknown() throws FunctionError {
        assertInstanceOf(Value.Unknown.class, call("join", s(","), list(s("a"), unknown(Type.STRING))));
        assertInstanceOf(Value.Unknown.class, call("jsonencode", map("id", unknown(Type.STRING))));
        Value u = call("length", list(new Value.Unknown(Type.STRING, Value.Unknown.AT_PLAN)));
        assertEquals(new Value.Unknown(Type.NUMBER, Value.Unknown.AT_PLAN), u);
    }

    @TestFactory
    List<DynamicTest> aSensitiveArgumentGivesASensitiveResult() {
        List<DynamicTest> tests = new ArrayList<>();
        samples().forEach((name, args) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            Value plain = call(name, args.toArray(new Value[0]));
            Value[] marked = args.toArray(new Value[0]);
            marked[0] = secret(marked[0]);
            Value result = call(name, marked);
            Value.Sensitive sensitive = assertInstanceOf(Value.Sensitive.class, result);
            assertEquals(plain, sensitive.inner());
        })));
        return tests;
    }

    @Test
    void aSensitiveElementMakesTheWholeResultSensitive() throws FunctionError {
        assertEquals(secret(s("a,pw")), call("join", s(","), list(s("a"), secret(s("pw")))));
        assertEquals(secret(n(2)), call("length", list(s("a"), secret(s("pw")))));
        assertEquals(secret(s("PW")), call("upper", secret(s("pw"))));
    }

    @Test
    void theWrongNumberOfArgumentsIsRefusedForTheWholeCall() {
        assertFails(-1, "upper takes 1 argument, got 2", "upper", s("a"), s("b"));
        assertFails(-1, "upper takes 1 argument, got 0", "upper");
        assertFails(-1, "substr takes 3 arguments, got 2", "substr", s("a"), n(1));
        assertFails(-1, "format takes at least 1 argument", "format");
        assertEquals("upper(string) -> string", fails("upper").hint());
    }

    // ---- strings ----

    @Nested
    class Format {
        @Test
        void everyVerb() throws FunctionError {
            assertCall(s("web-3-2.500000-1.25-\"a\\\"b\"-[\"x\",1]-true-%"), "format",
                    s("%s-%d-%f-%.2f-%q-%v-%t-%%"), s("web"), n(3), n("2.5"), n("1.25"), s("a\"b"),
                    list(s("x"), n(1)), b(true));
        }

        @Test
        void scalarsOfTheLanguageAsText() throws FunctionError {
            assertCall(s("1h30m 10% 12.5 false null"), "format", s("%s %s %v %v %v"), duration("1h30m"),
                    percent("10"), n("12.5"), b(false), NULL);
            assertCall(s("no verbs"), "format", s("no verbs"));
            assertCall(s("image.app image.app {\"a\":\"image.app\"}"), "format", s("%s %v %v"), imageRef(), imageRef(),
                    map("a", imageRef()));
            assertCall(s("2 4 / 4"), "format", s("%.0f %.0f / %d"), n("2.5"), n("3.5"), s("4"));
        }

        @Test
        void anUnsupportedVerbIsAnErrorAtTheFormatString() {
            assertFails(0, "unsupported verb \"%x\"", "format", s("%x"), n(1));
            assertFails(0, "unsupported verb \"%.2d\"", "format", s("%.2d"), n(1));
            assertFails(0, "incomplete verb", "format", s("100%"));
        }

        @Test
        void theNumberOfValuesMustMatchTheVerbs() {
            assertFails(-1, "more verbs than the 1 value given", "format", s("%s-%s"), s("a"));
            assertFails(2, "too many values", "format", s("%s"), s("a"), s("b"));
        }

        @Test
        void aValueMustSuitItsVerb() {
            assertFails(1, "%d needs a whole number", "format", s("%d"), n("2.5"));
            assertFails(1, "%d needs a number", "format", s("%d"), s("two"));
            assertFails(1, "%t needs a bool", "format", s("%t"), n(1));
            assertFails(1, "%s cannot show a list", "format", s("%s"), strings("a"));
        }
    }

    @Test
    void join() throws FunctionError {
        assertCall(s("a, b, c"), "join", s(", "), strings("a", "b", "c"));
        assertCall(s("1-true"), "join", s("-"), list(n(1), b(true)));
        assertCall(s(""), "join", s(","), list());
        assertFails(1, "join: argument 2 must be a list(string)", "join", s(","), list(s("a"), strings("b")));
        assertFails(1, "element 1 of argument 2 must be a string, got null", "join", s(","), list(s("a"), NULL));
        assertFails(0, "join: argument 1 must be a string, got a list", "join", strings("a"), strings("b"));
    }

    @Test
    void split() throws FunctionError {
        assertCall(strings("a", "", "b", ""), "split", s(","), s("a,,b,"));
        assertCall(strings(""), "split", s(","), s(""));
        assertCall(strings("é", "🚀"), "split", s(""), s("é🚀"));
        assertFails(1, "split: argument 2 must be a string", "split", s(","), strings("a"));
    }

    @Test
    void upperAndLower() throws FunctionError {
        assertCall(s("WEB-É"), "upper", s("web-é"));
        assertCall(s("web-é"), "lower", s("WEB-É"));
        assertCall(s("3"), "upper", n(3));
        assertFails(0, "upper: argument 1 must be a string, got a list", "upper", strings("a"));
        assertFails(0, "lower: argument 1 must be a string, got null", "lower", NULL);
    }

    @Test
    void replace() throws FunctionError {
        assertCall(s("a_b_c"), "replace", s("a-b-c"), s("-"), s("_"));
        assertCall(s("a.b"), "replace", s("a+b"), s("+"), s("."));
        assertCall(s("v#.#"), "replace", s("v1.22"), s("/[0-9]+/"), s("#"));
        assertCall(s("22.1"), "replace", s("1.22"), s("/(\\d+)\\.(\\d+)/"), s("$2.$1"));
        assertCall(s("<22>"), "replace", s("22"), s("/(?<n>\\d+)/"), s("<${n}>"));
        assertCall(s("axb"), "replace", s("a/b"), s("/"), s("x"));
        FunctionError e = fails("replace", s("abc"), s("/[a-/"), s("x"));
        assertEquals(1, e.argument());
        assertTrue(e.getMessage().startsWith("replace: invalid regular expression \"[a-\""), e.getMessage());
        assertFails(2, "replace: invalid replacement", "replace", s("abc"), s("/b/"), s("$3"));
    }

    @Test
    void trims() throws FunctionError {
        assertCall(s("hello"), "trim", s("?!hello?!"), s("!?"));
        assertCall(s("x y"), "trim", s("  x y \t"), s(" \t"));
        assertCall(s("1"), "trimprefix", s("web-1"), s("web-"));
        assertCall(s("web-1"), "trimprefix", s("web-1"), s("db-"));
        assertCall(s("web-1"), "trimprefix", s("web-web-1"), s("web-"));
        assertCall(s("web"), "trimsuffix", s("web-1"), s("-1"));
        assertCall(s("web-1"), "trimsuffix", s("web-1"), s("-2"));
        assertFails(1, "trim: argument 2 must be a string", "trim", s("x"), strings(" "));
        assertFails(0, "trimprefix: argument 1 must be a string", "trimprefix", map(), s("x"));
        assertFails(1, "trimsuffix: argument 2 must be a string, got null", "trimsuffix", s("x"), NULL);
    }

    @Test
    void substr() throws FunctionError {
        assertCall(s("ell"), "substr", s("hello"), n(1), n(3));
        assertCall(s("llo"), "substr", s("hello"), n(-3), n(-1));
        assertCall(s("ello"), "substr", s("hello"), n(1), n(100));
        assertCall(s(""), "substr", s("hello"), n(10), n(2));
        assertCall(s("🚀x"), "substr", s("é🚀xyz"), n(1), n(2));
        assertFails(1, "must be a whole number", "substr", s("hello"), n("1.5"), n(2));
        assertFails(2, "length must be -1", "substr", s("hello"), n(1), n(-2));
        assertFails(1, "substr: argument 2 must be a number", "substr", s("hello"), s("one"), n(2));
    }

    @Test
    void startswithAndEndswith() throws FunctionError {
        assertCall(b(true), "startswith", s("hello"), s("he"));
        assertCall(b(false), "startswith", s("hello"), s("lo"));
        assertCall(b(true), "endswith", s("hello"), s("lo"));
        assertCall(b(false), "endswith", s("hello"), s("he"));
        assertFails(0, "startswith: argument 1 must be a string", "startswith", strings("h"), s("h"));
        assertFails(1, "endswith: argument 2 must be a string", "endswith", s("h"), map());
    }

    @Nested
    class Regex {
        @Test
        void withoutGroupsTheMatchedText() throws FunctionError {
            assertCall(s("abc"), "regex", s("[a-z]+"), s("123abc456"));
        }

        @Test
        void unnamedGroupsGiveAList() throws FunctionError {
            assertCall(strings("10", "20"), "regex", s("(\\d+)-(\\d+)"), s("x 10-20 y"));
            assertCall(list(NULL, s("b")), "regex", s("(a)|(b)"), s("b"));
        }

        @Test
        void namedGroupsGiveAMap() throws FunctionError {
            assertCall(map("major", s("1"), "minor", s("22")), "regex", s("(?<major>\\d+)\\.(?<minor>\\d+)"), s("v1.22"));
        }

        @Test
        void aBadPatternIsAnErrorAtThePattern() {
            FunctionError e = fails("regex", s("[a-z"), s("abc"));
            assertEquals(0, e.argument());
            assertTrue(e.getMessage().contains("Unclosed character class"), e.getMessage());
            assertFails(0, "mixes named and unnamed groups", "regex", s("(?<a>x)(y)"), s("xy"));
        }

        @Test
        void noMatchIsAnError() {
            assertFails(-1, "regex: no match for pattern \"z+\"", "regex", s("z+"), s("abc"));
        }
    }

    // ---- collections ----

    @Test
    void length() throws FunctionError {
        assertCall(n(2), "length", s("é🚀"));
        assertCall(n(3), "length", list(n(1), s("a"), NULL));
        assertCall(n(1), "length", map("a", n(1)));
        assertCall(n(0), "length", s(""));
        assertFails(0, "length: argument 1 must be a string, a list or a map, got the number 5", "length", n(5));
        assertFails(0, "got null", "length", NULL);
    }

    @Test
    void concat() throws FunctionError {
        assertCall(list(s("a"), n(1), s("b")), "concat", strings("a"), list(n(1)), list(), strings("b"));
        assertCall(strings("a"), "concat", strings("a"));
        assertFails(-1, "concat takes at least 1 argument, got 0", "concat");
        assertFails(1, "concat: argument 2 must be a list(any), got the string \"x\"", "concat", list(), s("x"));
    }

    @Test
    void merge() throws FunctionError {
        assertCall(map("a", n(1), "b", n(3), "c", n(4)), "merge", map("a", n(1), "b", n(2)), map("b", n(3)), map("c", n(4)));
        assertCall(map("a", n(1)), "merge", map("a", n(1)), NULL);
        assertCall(map(), "merge");
        assertFails(1, "merge: argument 2 must be a map(any), got a list", "merge", map(), strings("a"));
    }

    @Test
    void keysAndValues() throws FunctionError {
        Value m = map("b", n(1), "a", n(2), "c", n(3));
        assertCall(strings("a", "b", "c"), "keys", m);
        assertCall(list(n(2), n(1), n(3)), "values", m);
        assertCall(list(), "keys", map());
        assertFails(0, "keys: argument 1 must be a map(any), got a list", "keys", strings("a"));
        assertFails(0, "values: argument 1 must be a map(any)", "values", s("a"));
        assertFails(0, "values: argument 1 must be a map, got null", "values", NULL);
    }

    @Test
    void lookup() throws FunctionError {
        Value m = map("eu", s("t3.large"), "us", s("t3.xlarge"));
        assertCall(s("t3.large"), "lookup", m, s("eu"));
        assertCall(s("t3.small"), "lookup", m, s("ap"), s("t3.small"));
        FunctionError missing = fails("lookup", m, s("ue"));
        assertEquals(1, missing.argument());
        assertEquals("lookup: the map has no key \"ue\"", missing.getMessage());
        assertTrue(missing.hint().contains("did you mean \"eu\"?"), missing.hint());
        assertFails(-1, "lookup takes 2 or 3 arguments, got 4", "lookup", m, s("eu"), s("x"), s("y"));
        assertFails(-1, "lookup takes at least 2 arguments, got 1", "lookup", m);
    }

    @Test
    void contains() throws FunctionError {
        assertCall(b(true), "contains", strings("staging", "prod"), s("prod"));
        assertCall(b(false), "contains", strings("staging", "prod"), s("dev"));
        assertCall(b(true), "contains", list(n("1.0"), n(2)), n(1));
        assertCall(b(false), "contains", strings("1"), n(1));
        assertFails(0, "contains: argument 1 must be a list(any), got the string \"prod\"", "contains", s("prod"), s("p"));
    }

    @Test
    void distinct() throws FunctionError {
        assertCall(list(s("a"), s("b"), n(1)), "distinct", list(s("a"), s("b"), s("a"), n(1), n("1.00")));
        assertFails(0, "distinct: argument 1 must be a list(any)", "distinct", map());
    }

    @Test
    void flatten() throws FunctionError {
        assertCall(strings("a", "b", "c"), "flatten", list(list(s("a"), list(s("b"), list())), s("c"), list()));
        assertCall(list(map("k", strings("x"))), "flatten", list(list(map("k", strings("x")))));
        assertFails(0, "flatten: argument 1 must be a list(any)", "flatten", s("abc"));
    }

    @Test
    void range() throws FunctionError {
        assertCall(list(n(0), n(1), n(2)), "range", n(3));
        assertCall(list(n(1), n(2), n(3)), "range", n(1), n(4));
        assertCall(list(n(4), n(3), n(2)), "range", n(4), n(1));
        assertCall(list(n(0), n(3), n(6), n(9)), "range", n(0), n(10), n(3));
        assertCall(list(n(10), n(7), n(4), n(1)), "range", n(10), n(0), n(-3));
        assertCall(list(), "range", n(0));
        assertCall(list(), "range", n(0), n(10), n(-1));
        assertEquals(10_000, ((Value.ListVal) call("range", n(10_000))).items().size());
        assertFails(-1, "more than the limit of 10000", "range", n(10_001));
        assertFails(2, "range: step must not be 0", "range", n(0), n(10), n(0));
        assertFails(-1, "range takes 1 to 3 arguments, got 0", "range");
        assertFails(-1, "range takes 1 to 3 arguments, got 4", "range", n(1), n(2), n(3), n(4));
        assertFails(0, "must be a whole number", "range", n("1.5"));
    }

    @Test
    void sort() throws FunctionError {
        assertCall(strings("10", "9", "B", "a", "b"), "sort", list(s("b"), s("a"), s("B"), n(10), n(9)));
        assertCall(strings("z", "\uFFFD", "🚀"), "sort", strings("🚀", "\uFFFD", "z"));
        assertFails(0, "sort: argument 1 must be a list(string)", "sort", list(s("a"), strings("b")));
        assertFails(0, "element 0 of argument 1 must be a string, got null", "sort", list(NULL));
    }

    @Test
    void reverse() throws FunctionError {
        assertCall(list(n(1), s("a")), "reverse", list(s("a"), n(1)));
        assertFails(0, "reverse: argument 1 must be a list(any)", "reverse", s("ab"));
    }

    @Test
    void zipmap() throws FunctionError {
        assertCall(map("a", n(1), "b", n(2)), "zipmap", strings("b", "a"), list(n(2), n(1)));
        assertFails(1, "zipmap: 2 keys but 1 value", "zipmap", strings("a", "b"), list(n(1)));
        assertFails(0, "zipmap: argument 1 must be a list(string)", "zipmap", list(strings("a")), list(n(1)));
    }

    // ---- encoding and hashing ----

    @Test
    void jsonencode() throws FunctionError {
        Value v = map("z", list(n(1), n(100), n("0.5"), NULL, b(true)), "a", duration("1h30m"), "p", percent("10"),
                "img", imageRef(), "s", s("é\"\n"));
        // an unknown attribute of a reference does not make it unknown: it is written as its address
        assertCall(s("{\"a\":\"1h30m\",\"img\":\"image.app\",\"p\":\"10%\",\"s\":\"é\\\"\\n\",\"z\":[1,100,0.5,null,true]}"),
                "jsonencode", v);
        assertCall(s("\"x\""), "jsonencode", s("x"));
        assertCall(s("12345678901234567890.5"), "jsonencode", n("12345678901234567890.50"));
        assertFails(-1, "jsonencode takes 1 argument, got 2", "jsonencode", s("a"), s("b"));
    }

    @Test
    void jsondecode() throws FunctionError {
        assertCall(map("a", list(n(1), n("2.5"), n(1000), NULL, b(true), s("x")), "b", map()), "jsondecode",
                s("{\"b\": {}, \"a\": [1, 2.50, 1e3, null, true, \"x\"]}"));
        assertCall(n("12345678901234567890123.25"), "jsondecode", s("12345678901234567890123.25"));
        Value roundTrip = call("jsondecode", call("jsonencode", map("k", strings("v"))));
        assertEquals(map("k", strings("v")), roundTrip);
        FunctionError e = fails("jsondecode", s("{\"a\": 1,}"));
        assertEquals(0, e.argument());
        assertTrue(e.getMessage().startsWith("jsondecode: invalid JSON at line 1, column 9"), e.getMessage());
        assertFails(0, "invalid JSON at line 2", "jsondecode", s("[1,\n2"));
        assertFails(0, "invalid JSON", "jsondecode", s("{} trailing"));
        assertFails(0, "jsondecode: the text is empty", "jsondecode", s(""));
        assertTrue(!fails("jsondecode", s("[1,\n2")).getMessage().contains("REDACTED"));
    }

    @Test
    void base64() throws FunctionError {
        assertCall(s("aMOpbGxv"), "base64encode", s("héllo"));
        assertCall(s("héllo"), "base64decode", s("aMOpbGxv"));
        assertCall(s(""), "base64decode", s(""));
        assertFails(0, "base64decode: not valid Base64: unexpected character \" \" at position 4", "base64decode",
                s("not base64!"));
        assertFails(0, "base64decode: not valid Base64", "base64decode", s("aGVsbG8=x"));
        assertCall(s("hello"), "base64decode", s("aGVs\nbG8="));
        assertFails(0, "base64decode: the decoded bytes are not UTF-8 text", "base64decode", s("/w=="));
        assertFails(0, "base64encode: argument 1 must be a string", "base64encode", strings("a"));
    }

    @Test
    void sha256() throws FunctionError {
        assertCall(s("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), "sha256", s("hello"));
        assertCall(s("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), "sha256", s(""));
        assertFails(0, "sha256: argument 1 must be a string", "sha256", map());
    }

    // ---- files ----

    @Test
    void file() throws FunctionError {
        assertCall(s("hello\n"), "file", s("data/greeting.txt"));
        assertCall(s("hello\n"), "file", s("data/../data/greeting.txt"));
        assertCall(s("outside the stack\n"), "file", s(root.resolve("secret.txt").toString()));
        assertFails(0, "is outside the stack directory", "file", s("../secret.txt"));
        assertFails(0, "no file \"data/missing.txt\"", "file", s("data/missing.txt"));
        assertFails(0, "file: the path is empty", "file", s(""));
        assertFails(0, "file: argument 1 must be a string", "file", strings("a"));
    }

    @Test
    void fileexists() throws FunctionError {
        assertCall(b(true), "fileexists", s("data/greeting.txt"));
        assertCall(b(false), "fileexists", s("data/missing.txt"));
        assertCall(b(false), "fileexists", s("data"));
        assertFails(0, "is outside the stack directory", "fileexists", s("../../etc/passwd"));
    }

    @Test
    void filesha256() throws FunctionError {
        assertEquals(call("sha256", s("hello\n")), call("filesha256", s("data/greeting.txt")));
        assertCall(s(EncodingFunctions.sha256(new byte[] {(byte) 0xff, 0x00, 0x10})), "filesha256", s("data/binary.bin"));
        assertFails(0, "is outside the stack directory", "filesha256", s("../secret.txt"));
        assertFails(0, "no file", "filesha256", s("missing.bin"));
    }

    @Test
    void templatefile() throws FunctionError {
        assertCall(s("welcome to web\n"), "templatefile", s("data/motd.tftpl"), map("name", s("web")));
        assertEquals(List.of("data/motd.tftpl"), ((StackContext) ctx).rendered);
        assertFails(1, "templatefile: argument 2 must be a map(any), got the string \"web\"", "templatefile",
                s("data/motd.tftpl"), s("web"));
        assertFails(1, "templatefile: argument 2 must be a map of template variables, got null", "templatefile",
                s("data/motd.tftpl"), NULL);
        assertFails(0, "is outside the stack directory", "templatefile", s("../secret.txt"), map());
        assertFails(0, "no file", "templatefile", s("data/nope.tftpl"), map());
    }

    // ---- conversions ----

    @Test
    void tostring() throws FunctionError {
        assertCall(s("web"), "tostring", s("web"));
        assertCall(s("1.5"), "tostring", n("1.50"));
        assertCall(s("100"), "tostring", n("1e2"));
        assertCall(s("false"), "tostring", b(false));
        assertCall(s("1m30s"), "tostring", duration("90s"));
        assertCall(s("12.5%"), "tostring", percent("12.50"));
        assertCall(NULL, "tostring", NULL);
        FunctionError e = fails("tostring", strings("a"));
        assertEquals("tostring: cannot convert a list(string) to a string", e.getMessage());
        assertTrue(e.hint().contains("jsonencode"), e.hint());
        assertFails(0, "tostring: cannot convert the image image.app", "tostring", imageRefKnown());
    }

    private static Value imageRefKnown() {
        return new Value.Ref("image", "image.app", (Value.MapVal) map("id", s("ami-1")));
    }

    @Test
    void tonumber() throws FunctionError {
        assertCall(n(42), "tonumber", s(" 42 "));
        assertCall(n("3.5"), "tonumber", n("3.5"));
        assertCall(NULL, "tonumber", NULL);
        FunctionError e = fails("tonumber", s("forty"));
        assertEquals("tonumber: cannot convert the string \"forty\" to a number", e.getMessage());
        assertTrue(e.hint().contains("42"), e.hint());
        assertFails(0, "cannot convert the bool true", "tonumber", b(true));
    }

    @Test
    void toduration() throws FunctionError {
        assertCall(duration("1h30m"), "toduration", s("1h30m"));
        assertCall(duration("90s"), "toduration", duration("90s"));
        FunctionError e = fails("toduration", s("5 minutes"));
        assertEquals(0, e.argument());
        assertTrue(e.hint().contains("1h30m"), e.hint());
        assertFails(0, "toduration: cannot convert the number 5 to a duration", "toduration", n(5));
    }

    @Test
    void topercent() throws FunctionError {
        assertCall(percent("12.5"), "topercent", s("12.5%"));
        assertCall(percent("12.5"), "topercent", n("12.5"));
        assertCall(percent("10"), "topercent", percent("10"));
        FunctionError e = fails("topercent", s("12.5"));
        assertEquals("topercent: cannot convert the string \"12.5\" to a percent", e.getMessage());
        assertTrue(e.hint().contains("\"12.5%\""), e.hint());
        assertFails(0, "topercent: cannot convert a list", "topercent", list());
    }
}
