package dev.imm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package table of docs/architecture.md: which imm packages each package may import, and which
 * library only one package may use. A new package must be added here before it may import anything.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/imm");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("diag", Set.of()),
            Map.entry("value", Set.of("diag")),
            Map.entry("lang", Set.of("diag", "value", "lang.antlr")),
            Map.entry("model", Set.of("diag", "value")),
            Map.entry("eval", Set.of("lang", "model", "value", "diag")),
            Map.entry("state", Set.of("model", "value", "diag")),
            Map.entry("state.git", Set.of("state", "model", "value", "diag")),
            Map.entry("provider", Set.of("model", "value", "diag")),
            Map.entry("provider.sim", Set.of("provider", "model", "value", "diag")),
            Map.entry("provider.aws", Set.of("provider", "model", "value", "diag")),
            Map.entry("provider.oci", Set.of("provider", "model", "value", "diag")),
            Map.entry("plan", Set.of("model", "state", "provider", "value", "diag")),
            Map.entry("apply", Set.of("plan", "state", "provider", "model", "value", "diag")),
            Map.entry("render", Set.of("plan", "state", "value", "diag", "model")),
            Map.entry("engine", Set.of("diag", "value", "lang", "model", "eval", "state", "state.git", "provider",
                    "provider.sim", "provider.aws", "provider.oci", "plan", "apply", "render")),
            // state: the engine's API reports StateException, which the console shows as a diagnostic
            Map.entry("repl", Set.of("engine", "eval", "lang", "render", "diag", "value", "model", "plan", "state")),
            Map.entry("repl.jline", Set.of("repl", "engine", "render", "diag")),
            Map.entry("lsp", Set.of("engine", "eval", "lang", "model", "render", "diag", "value")),
            Map.entry("cli", Set.of("*")));

    /** Third-party packages that exactly one imm package may use. */
    private static final Map<String, String> LIBRARY_OWNER = Map.of(
            "org.antlr", "lang",
            "picocli", "cli",
            "org.eclipse.jgit", "state.git",
            "org.jline", "repl.jline",
            "org.eclipse.lsp4j", "lsp",
            "com.google.gson", "lsp",
            "software.amazon", "provider.aws",
            "com.google.cloud.tools.jib", "provider.oci");

    @Test
    void packagesImportOnlyWhatTheTableAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            sources = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        for (Path source : sources) {
            String pkg = MAIN.relativize(source.getParent()).toString().replace('/', '.').replace('\\', '.');
            Set<String> allowed = MAY_IMPORT.get(pkg);
            if (allowed == null) {
                violations.add(source + ": package " + pkg + " is not in the architecture table");
                continue;
            }
            Matcher m = IMPORT.matcher(Files.readString(source));
            while (m.find()) {
                String imported = m.group(1);
                check(source, pkg, allowed, imported, violations);
            }
        }
        assertEquals(List.of(), violations);
    }

    private static void check(Path source, String pkg, Set<String> allowed, String imported, List<String> violations) {
        if (imported.startsWith("dev.imm.")) {
            String target = importedPackage(imported.substring("dev.imm.".length()));
            if (target.equals(pkg) || allowed.contains("*") && !target.startsWith("lang.antlr")) {
                return;
            }
            if (target.equals("cli") || !allowed.contains(target)) {
                violations.add(source + ": " + pkg + " may not import dev.imm." + target);
            }
            return;
        }
        for (Map.Entry<String, String> owner : LIBRARY_OWNER.entrySet()) {
            if (imported.startsWith(owner.getKey() + ".") && !pkg.equals(owner.getValue())) {
                violations.add(source + ": only " + owner.getValue() + " may use " + owner.getKey());
            }
        }
    }

    /** The package part of an imported name: lower-case segments before the first type name. */
    private static String importedPackage(String name) {
        List<String> parts = new ArrayList<>();
        for (String part : name.split("\\.")) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            parts.add(part);
        }
        return String.join(".", parts);
    }
}
