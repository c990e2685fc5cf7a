package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.diag.SourceFile;
import dev.imm.lang.ConfigFile;
import dev.imm.lang.Import;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import dev.imm.lang.SourceReader;
import dev.imm.value.Values;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a stack directory and everything it imports: {@code std/NAME} from the standard library packed in
 * imm, other paths relative to the importing file. An imported file is read once however often it is
 * imported; an import cycle is an error naming the files on it.
 */
public final class ModuleLoader {
    /** The standard library's modules; a test checks this against {@code stdlib/}. */
    public static final List<String> STANDARD_MODULES = List.of("hardening", "rollouts", "sources");
    private static final Set<String> RESERVED = Set.of("var", "local", "image", "container", "component", "rollout", "fleet",
            "check", "output", "each", "provider", "state", "variable", "locals", "import");

    private final Diagnostics diagnostics;
    private final Map<String, SourceFile> sources = new LinkedHashMap<>();
    private final Map<String, Module> loaded = new LinkedHashMap<>();
    private final List<String> loading = new ArrayList<>();

    /** Texts that stand in for files on disk (an editor's unsaved buffers), by absolute normalized path. */
    private final Map<Path, String> overlay;

    public ModuleLoader(Diagnostics diagnostics) {
        this(diagnostics, Map.of());
    }

    /**
     * A loader that reads {@code overlay}'s text instead of a file's content on disk, and counts an overlay
     * file of the stack directory as one of its files even before it is saved (the language server).
     */
    public ModuleLoader(Diagnostics diagnostics, Map<Path, String> overlay) {
        this(diagnostics, overlay, Parser::parse, true);
    }

    /** How a file is parsed: {@link Parser#parse}, or a cache of its results by text (the language server). */
    private final java.util.function.Function<SourceFile, ParseResult> parser;
    /** Whether {@link #parser} is {@link Parser#parse}, which files may call side by side. */
    private final boolean parsesInParallel;

    public ModuleLoader(Diagnostics diagnostics, Map<Path, String> overlay, java.util.function.Function<SourceFile, ParseResult> parser) {
        this(diagnostics, overlay, parser, false); // a caller's parser (a cache) need not be safe to call from two threads
    }

    private ModuleLoader(Diagnostics diagnostics, Map<Path, String> overlay, java.util.function.Function<SourceFile, ParseResult> parser,
                         boolean parsesInParallel) {
        this.diagnostics = diagnostics;
        this.overlay = Map.copyOf(overlay);
        this.parser = parser;
        this.parsesInParallel = parsesInParallel;
    }

    private SourceFile read(Path file, String displayPath) {
        String text = overlay.get(file.toAbsolutePath().normalize());
        return text != null ? new SourceFile(displayPath, text) : SourceReader.read(file, displayPath, diagnostics);
    }

    /** Every source file read, by the path diagnostics use for it. */
    public Map<String, SourceFile> sources() {
        return sources;
    }

    /** Reads the stack in {@code dir}; null (with a diagnostic) when there is no stack to read. */
    public Module loadStack(Path dir) {
        if (!Files.isDirectory(dir)) {
            diagnostics.add(Diagnostic.error(null, "stack directory " + dir + " does not exist")
                    .withDetail("Give the directory that holds the stack's .imm files, or run imm in it."));
            return null;
        }
        List<Path> files;
        try {
            files = new ArrayList<>(SourceReader.stackFiles(dir));
            Path absolute = dir.toAbsolutePath().normalize();
            for (Path open : overlay.keySet()) {
                if (absolute.equals(open.getParent()) && open.getFileName().toString().endsWith(SourceReader.EXTENSION)
                        && files.stream().noneMatch(f -> f.toAbsolutePath().normalize().equals(open))) {
                    files.add(dir.resolve(open.getFileName()));
                }
            }
            files.sort(java.util.Comparator.comparing(f -> f.getFileName().toString()));
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(null, "cannot list " + dir).withDetail(String.valueOf(e.getMessage())));
            return null;
        }
        if (files.isEmpty()) {
            diagnostics.add(Diagnostic.error(null, "no .imm files in " + dir)
                    .withDetail("A stack is a directory of .imm files; `imm init` writes a first one."));
            return null;
        }
        List<SourceFile> read = new ArrayList<>();
        for (Path file : files) {
            SourceFile source = read(file, dir.resolve(file.getFileName()).normalize().toString());
            if (source != null) {
                read.add(source);
            }
        }
        List<ConfigFile> parsed = new ArrayList<>();
        List<ParseResult> results = parseAll(read);
        for (int i = 0; i < read.size(); i++) {
            parsed.add(parsed(read.get(i), results.get(i)));
        }
        return module("", dir, parsed);
    }

    /** Reads one file as a whole stack (its imports too); file paths in it are relative to its directory. */
    public Module loadFile(Path file, String displayPath) {
        SourceFile source = read(file, displayPath);
        if (source == null) {
            return null;
        }
        return module("", file.toAbsolutePath().getParent(), List.of(parse(source)));
    }

    /** Stacks of many files and more than this many characters are parsed on every core. */
    static final int PARALLEL_CHARS = 64 * 1024;

    /**
     * The files' parses, in their order. A big stack's files are parsed side by side (the parser shares
     * nothing mutable but ANTLR's thread-safe prediction cache), so that parsing costs less than its sum;
     * results and diagnostics come out in file order either way.
     */
    private List<ParseResult> parseAll(List<SourceFile> files) {
        long chars = files.stream().mapToLong(f -> f.text().length()).sum();
        if (!parsesInParallel || files.size() < 2 || chars < PARALLEL_CHARS || Runtime.getRuntime().availableProcessors() < 2) {
            return files.stream().map(parser).toList();
        }
        return files.parallelStream().map(parser).toList();
    }

    private ConfigFile parse(SourceFile source) {
        return parsed(source, parser.apply(source));
    }

    /** Keeps the file's source and diagnostics; its syntax tree. */
    private ConfigFile parsed(SourceFile source, ParseResult result) {
        sources.put(source.path(), source);
        diagnostics.addAll(result.diagnostics());
        return result.file();
    }

    private Module module(String name, Path dir, List<ConfigFile> files) {
        Map<String, Module> imports = new LinkedHashMap<>();
        Map<String, String> importedPaths = new LinkedHashMap<>(); // alias -> path: the same import in two files is one
        for (ConfigFile file : files) {
            for (Import i : file.imports()) {
                String alias = i.alias() != null ? i.alias() : defaultAlias(i.path());
                if (alias == null) {
                    diagnostics.add(Diagnostic.error(i.pathRange(), "cannot name this import after its path")
                            .withHint("name it: import \"" + i.path() + "\" as NAME"));
                    continue;
                }
                if (i.path().equals(importedPaths.get(alias))) {
                    continue;
                }
                Module imported = load(i, dir, alias);
                if (imported != null && RESERVED.contains(alias)) {
                    diagnostics.add(Diagnostic.error(i.aliasRange() != null ? i.aliasRange() : i.pathRange(),
                            "an import cannot be named \"" + alias + "\"").withHint("that name is taken by the language; use as OTHER"));
                    continue;
                }
                if (imports.containsKey(alias)) {
                    diagnostics.add(Diagnostic.error(i.range(), "two imports are named \"" + alias + "\"")
                            .withHint("give one of them another name with as"));
                    continue;
                }
                imports.put(alias, imported != null ? imported : Module.broken(alias));
                importedPaths.put(alias, i.path());
            }
        }
        return new Module(name, dir, files, imports, false);
    }

    /**
     * The name an import without {@code as} binds: its file's name without {@code .imm} ({@code std/rollouts}
     * is {@code rollouts}, {@code ./shared/base.imm} is {@code base}); null when that is not a name.
     */
    public static String defaultAlias(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (last.endsWith(SourceReader.EXTENSION)) {
            last = last.substring(0, last.length() - SourceReader.EXTENSION.length());
        }
        return Values.isIdentifier(last) ? last : null;
    }

    private Module load(Import i, Path importingDir, String alias) {
        String key;
        SourceFile source;
        Path dir;
        if (i.path().startsWith("std/")) {
            String name = i.path().substring(4);
            key = "std/" + name + SourceReader.EXTENSION;
            dir = null;
            if (!loaded.containsKey(key) && !loading.contains(key)) {
                source = standardModule(name);
                if (source == null) {
                    String hint = DidYouMean.hint(name, STANDARD_MODULES);
                    diagnostics.add(Diagnostic.error(i.pathRange(), "no standard module \"" + i.path() + "\"")
                            .withHint(hint.isEmpty() ? "the standard modules are std/" + String.join(", std/", STANDARD_MODULES) : hint));
                    return null;
                }
            } else {
                source = null;
            }
        } else {
            if (importingDir == null) {
                diagnostics.add(Diagnostic.error(i.pathRange(), "a standard module can only import other standard modules"));
                return null;
            }
            Path file = importingDir.resolve(i.path()).normalize();
            key = file.toString();
            dir = file.getParent();
            if (!loaded.containsKey(key) && !loading.contains(key)) {
                if (!Files.isRegularFile(file)) {
                    diagnostics.add(Diagnostic.error(i.pathRange(), "cannot import \"" + i.path() + "\": no such file")
                            .withHint("paths are relative to the importing file; standard modules start with std/"));
                    return null;
                }
                source = read(file, key);
                if (source == null) {
                    return null;
                }
            } else {
                source = null;
            }
        }
        if (loading.contains(key)) {
            List<String> cycle = new ArrayList<>(loading.subList(loading.indexOf(key), loading.size()));
            cycle.add(key);
            diagnostics.add(Diagnostic.error(i.pathRange(), "import cycle: " + String.join(" -> ", cycle))
                    .withHint("a file cannot import itself, even through others"));
            return null;
        }
        Module cached = loaded.get(key);
        if (cached != null) {
            return cached.name().equals(alias) ? cached : new Module(alias, cached.directory(), cached.files(), cached.imports(), false);
        }
        loading.add(key);
        Module module = module(alias, dir, List.of(parse(source)));
        loading.remove(key);
        loaded.put(key, module);
        return module;
    }

    private static SourceFile standardModule(String name) {
        try (InputStream in = ModuleLoader.class.getResourceAsStream("/std/" + name + SourceReader.EXTENSION)) {
            if (in == null) {
                return null;
            }
            return new SourceFile("std/" + name + SourceReader.EXTENSION, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("the standard library in the jar cannot be read", e);
        }
    }
}
