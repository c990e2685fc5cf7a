package dev.imm.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.diag.SourceRange;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.testing.ImmFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutations of every snippet and example through parse, validate and fmt, as {@code imm validate} and
 * {@code imm fmt} run them: no exception escapes, no input takes more than a few seconds, every
 * diagnostic about the file points inside it, and formatting never changes what a file means. The
 * mutations: tokens deleted, doubled and swapped, random bytes, deep nesting, huge literals, and
 * constructs left open. CI runs 2,000 seeded inputs; {@code -Dimm.fuzz.inputs=100000} runs more, and
 * {@code -Dimm.fuzz.seed=N} one input again (a failure prints its seed).
 */
class LanguageFuzzTest {
    private static final int INPUTS = Integer.getInteger("imm.fuzz.inputs", 2000);
    private static final long ONLY_SEED = Long.getLong("imm.fuzz.seed", -1);

    @TempDir
    Path dir;

    @Test
    void mutatedInputsGiveDiagnosticsNeverCrashes() throws IOException {
        List<String> corpus = new ArrayList<>();
        for (String root : List.of("src/test/resources/snippets", "examples", "stdlib")) {
            for (Path p : ImmFiles.under(Path.of(root))) {
                corpus.add(Files.readString(p));
            }
        }
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Long> millis = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        long diagnostics = 0;
        for (long seed = ONLY_SEED >= 0 ? ONLY_SEED : 1; seed <= (ONLY_SEED >= 0 ? ONLY_SEED : INPUTS); seed++) {
            Random random = new Random(seed);
            String base = corpus.get(random.nextInt(corpus.size()));
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            String input = mutation.apply(base, random);
            kinds.merge(mutation.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            long s = seed;
            long began = System.nanoTime();
            try {
                diagnostics += assertTimeoutPreemptively(Duration.ofSeconds(10), () -> check(input),
                        () -> "seed " + s + " (" + mutation + ") took over 10 s");
            } catch (AssertionError | RuntimeException | StackOverflowError e) {
                failures.add("seed " + seed + " (" + mutation + "): " + e.toString().lines().findFirst().orElse("")
                        + "\n  rerun: mvn test -Dtest=LanguageFuzzTest -Dimm.fuzz.seed=" + seed);
            }
            millis.merge(mutation.name().toLowerCase(java.util.Locale.ROOT), (System.nanoTime() - began) / 1_000_000, Long::sum);
        }
        System.out.printf("LanguageFuzzTest: %d inputs in %d ms, %d diagnostics, mutations %s, ms per mutation %s%n",
                ONLY_SEED >= 0 ? 1 : INPUTS, (System.nanoTime() - start) / 1_000_000, diagnostics, kinds, millis);
        assertEquals(List.of(), failures);
    }

    /** parse → validate → fmt of one input; returns how many diagnostics it gave. */
    private int check(String text) throws IOException {
        Path file = dir.resolve("main.imm").toAbsolutePath().normalize();
        Diagnostics found = new Diagnostics();
        Module root = new ModuleLoader(found, Map.of(file, text)).loadStack(dir);
        if (root != null) {
            StackEvaluator.evaluate(root, StackEvaluator.Options.VALIDATE, found);
        }
        SourceFile source = new SourceFile(dir.resolve("main.imm").normalize().toString(), text);
        for (Diagnostic d : found.sorted()) {
            if (d.subject() != null && d.subject().path().equals(source.path())) {
                inside(d, d.subject(), source);
            }
        }
        ParseResult parsed = Parser.parse(source);
        if (!parsed.hasErrors()) {
            String formatted = Formatter.format(source);
            if (!Formatter.sameMeaning(parsed, new SourceFile(source.path(), formatted))) {
                throw new AssertionError("formatting changed the meaning of the file:\n" + text);
            }
        }
        return found.sorted().size();
    }

    private static void inside(Diagnostic d, SourceRange r, SourceFile source) {
        int lines = source.lineCount();
        boolean ok = r.startLine() >= 1 && r.startLine() <= lines && r.endLine() >= r.startLine() && r.endLine() <= lines
                && r.startColumn() >= 1 && r.startColumn() <= source.line(r.startLine()).codePointCount(0, source.line(r.startLine()).length()) + 1
                && r.startOffset() >= 0 && r.endOffset() >= r.startOffset()
                && r.endOffset() <= source.text().codePointCount(0, source.text().length());
        if (!ok) {
            throw new AssertionError("diagnostic \"" + d.summary() + "\" at " + r + " is not inside the file (" + lines + " lines)");
        }
    }

    /** How an input is broken. */
    enum Mutation {
        DELETE_TOKEN, DOUBLE_TOKEN, SWAP_TOKENS, RANDOM_BYTES, DEEP_NESTING, HUGE_LITERAL, LEAVE_OPEN;

        String apply(String text, Random random) {
            List<SyntaxToken> tokens = Lexing.tokens(new SourceFile("in.imm", text)).stream().filter(t -> !t.hidden()).toList();
            if (tokens.isEmpty() && this != RANDOM_BYTES && this != DEEP_NESTING && this != HUGE_LITERAL) {
                return text + "{";
            }
            switch (this) {
                case DELETE_TOKEN -> {
                    SyntaxToken t = tokens.get(random.nextInt(tokens.size()));
                    return cut(text, t, "");
                }
                case DOUBLE_TOKEN -> {
                    SyntaxToken t = tokens.get(random.nextInt(tokens.size()));
                    return cut(text, t, t.text() + t.text());
                }
                case SWAP_TOKENS -> {
                    int i = random.nextInt(Math.max(1, tokens.size() - 1));
                    if (i + 1 >= tokens.size()) {
                        return text;
                    }
                    SyntaxToken a = tokens.get(i);
                    SyntaxToken b = tokens.get(i + 1);
                    int from = index(text, a.range().startOffset());
                    int mid = index(text, a.range().endOffset());
                    int bFrom = index(text, b.range().startOffset());
                    int to = index(text, b.range().endOffset());
                    return text.substring(0, from) + b.text() + text.substring(mid, bFrom) + a.text() + text.substring(to);
                }
                case RANDOM_BYTES -> {
                    StringBuilder s = new StringBuilder(text);
                    for (int k = 0; k < 1 + random.nextInt(8); k++) {
                        int at = s.length() == 0 ? 0 : random.nextInt(s.length());
                        char c = (char) (random.nextInt(4) == 0 ? random.nextInt(0x3000) : 32 + random.nextInt(95));
                        if (Character.isSurrogate(c)) {
                            c = '?';
                        }
                        s.insert(at, c);
                    }
                    return s.toString();
                }
                case DEEP_NESTING -> {
                    int depth = 200 + random.nextInt(2000);
                    String open = random.nextBoolean() ? "[" : random.nextBoolean() ? "(" : "{ a = ";
                    String close = open.equals("[") ? "]" : open.equals("(") ? ")" : "}";
                    return text + "\nlocals {\n  deep = " + open.repeat(depth) + "1" + close.repeat(random.nextBoolean() ? depth : depth / 2) + "\n}\n";
                }
                case HUGE_LITERAL -> {
                    int size = 5_000 + random.nextInt(50_000);
                    String literal = switch (random.nextInt(4)) {
                        case 0 -> "\"" + "x".repeat(size) + "\"";
                        case 1 -> "9".repeat(size);
                        case 2 -> "1" + "0".repeat(size) + "%";
                        default -> "\"" + "${1}".repeat(size / 4) + "\"";
                    };
                    return text + "\nlocals {\n  huge = " + literal + "\n}\n";
                }
                default -> {
                    SyntaxToken t = tokens.get(random.nextInt(tokens.size()));
                    String opener = List.of("\"", "{", "[", "(", "${", "<<EOT\n", "/*").get(random.nextInt(7));
                    return cut(text, t, opener + t.text());
                }
            }
        }

        private static String cut(String text, SyntaxToken t, String replacement) {
            return text.substring(0, index(text, t.range().startOffset())) + replacement + text.substring(index(text, t.range().endOffset()));
        }

        /** The string index of a code-point offset. */
        private static int index(String text, int codePoints) {
            return text.offsetByCodePoints(0, Math.min(codePoints, text.codePointCount(0, text.length())));
        }
    }
}
