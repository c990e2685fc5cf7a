package dev.imm.lsp;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.diag.SourceRange;
import dev.imm.eval.ConsoleScope;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.References;
import dev.imm.eval.StackEvaluator;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ConfigFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stack as the editor sees it (open documents stand in for their files): loaded, parsed and
 * evaluated as {@code imm validate} does, with every diagnostic, and an index of what the files declare
 * ({@code image.web}, {@code var.env}, {@code local.tags}, {@code rollouts.canary} of an import) and of
 * every reference to it, for go-to-definition, find-references and hover.
 */
final class StackAnalysis {
    /** A name declared or referred to, and where: {@code key} is {@code root.name}, as references spell it. */
    record Site(String key, SourceRange range) {
    }

    final Path directory;
    final List<Diagnostic> diagnostics;
    final Map<String, SourceFile> sources;
    final Module root;
    final Evaluation evaluation;
    final List<Site> declarations = new ArrayList<>();
    final List<Site> references = new ArrayList<>();
    private final Map<String, ConfigFile> files = new LinkedHashMap<>();

    private StackAnalysis(Path directory, List<Diagnostic> diagnostics, Map<String, SourceFile> sources, Module root,
                          Evaluation evaluation) {
        this.directory = directory;
        this.diagnostics = diagnostics;
        this.sources = sources;
        this.root = root;
        this.evaluation = evaluation;
        if (root != null) {
            for (ConfigFile f : root.files()) {
                files.put(f.path(), f);
                index(f, "");
            }
            root.imports().forEach((alias, module) -> module.files().forEach(f -> {
                files.putIfAbsent(f.path(), f);
                index(f, alias);
            }));
        }
    }

    static StackAnalysis of(Path directory, Map<Path, String> overlay, ParseCache parses) {
        Diagnostics found = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(found, overlay, parses::parse);
        Module root = loader.loadStack(directory);
        Evaluation evaluation = root == null ? null : StackEvaluator.evaluate(root, StackEvaluator.Options.VALIDATE, found);
        return new StackAnalysis(directory, found.sorted(), new LinkedHashMap<>(loader.sources()), root, evaluation);
    }

    /** Whether the analysis read this file (the stack's own, or one it imports). */
    boolean reads(Path file) {
        return sources.keySet().stream().map(this::fileOf).anyMatch(file::equals);
    }

    /** The display path diagnostics and trees use for a file of the stack directory. */
    String displayPath(Path file) {
        return directory.resolve(file.getFileName()).normalize().toString();
    }

    /** The file a display path names on disk, or null for the standard library's. */
    Path fileOf(String displayPath) {
        if (displayPath.startsWith("std/")) {
            return null;
        }
        Path p = Path.of(displayPath);
        return (p.isAbsolute() ? p : directory.resolve(p)).toAbsolutePath().normalize();
    }

    Optional<ConfigFile> file(Path path) {
        return Optional.ofNullable(files.get(displayPath(path)));
    }

    Optional<SourceFile> source(String displayPath) {
        return Optional.ofNullable(sources.get(displayPath));
    }

    ConsoleScope scope() {
        return evaluation == null || evaluation.desired() == null ? null : new ConsoleScope(evaluation, directory);
    }

    /** The declaration or reference at a code-point offset of a file, innermost first. */
    Optional<Site> siteAt(String displayPath, int offset) {
        for (List<Site> sites : List.of(references, declarations)) {
            for (Site s : sites) {
                if (s.range().path().equals(displayPath) && Positions.contains(s.range(), offset)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }

    Optional<Site> declaration(String key) {
        return declarations.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    List<Site> referencesTo(String key) {
        return references.stream().filter(s -> s.key().equals(key)).toList();
    }

    /** The import alias an import's path binds (its {@code as} name, else the file's name). */
    Optional<Module> imported(String alias) {
        return root == null ? Optional.empty() : Optional.ofNullable(root.imports().get(alias));
    }

    // ---- index ----

    private void index(ConfigFile file, String alias) {
        for (BodyItem item : file.items()) {
            if (item instanceof Block b) {
                declare(b, alias);
                if (alias.isEmpty()) {
                    refer(b.body());
                }
            } else if (item instanceof Attribute a && alias.isEmpty()) {
                references(a);
            }
        }
    }

    private void declare(Block b, String alias) {
        String label = b.labels().isEmpty() ? null : b.labels().get(0).value();
        SourceRange at = b.labels().isEmpty() ? b.typeRange() : b.labels().get(0).range();
        if (b.type().equals("locals")) {
            for (Attribute a : b.attributes()) {
                declarations.add(new Site((alias.isEmpty() ? "local" : alias) + "." + a.name(), a.nameRange()));
            }
            return;
        }
        if (label == null) {
            return;
        }
        if (!alias.isEmpty() && !b.type().equals("component") && !b.type().equals("rollout")) {
            return; // an import shares its components, rollouts and locals, nothing else
        }
        String kind = switch (b.type()) {
            case "variable" -> "var";
            case "image", "fleet", "rollout", "component", "check", "output" -> b.type();
            default -> null;
        };
        if (kind != null) {
            declarations.add(new Site((alias.isEmpty() ? kind : alias) + "." + label, at));
        }
    }

    private void refer(List<BodyItem> body) {
        for (BodyItem item : body) {
            if (item instanceof Attribute a) {
                references(a);
            } else if (item instanceof Block b) {
                refer(b.body());
            }
        }
    }

    private void references(Attribute a) {
        for (References.Reference r : References.of(a.value())) {
            references.add(new Site(r.root() + "." + r.name(), r.range()));
        }
    }
}
