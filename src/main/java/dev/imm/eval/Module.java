package dev.imm.eval;

import dev.imm.lang.ConfigFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A unit of configuration: the stack itself (every {@code .imm} file of its directory) or an imported
 * file. {@code name} is the import's name as the stack sees it ("" for the stack); {@code directory} is
 * what file paths in it are relative to (null for the standard library, which reads no files);
 * {@code broken} marks an import that failed to load. Modules compare by identity: one loaded file is one
 * module, and hashing never walks its syntax tree.
 */
public final class Module {
    private final String name;
    private final Path directory;
    private final List<ConfigFile> files;
    private final Map<String, Module> imports;
    private final boolean broken;

    public Module(String name, Path directory, List<ConfigFile> files, Map<String, Module> imports, boolean broken) {
        this.name = name;
        this.directory = directory;
        this.files = List.copyOf(files);
        this.imports = imports;
        this.broken = broken;
    }

    /** Stands for an import that could not be read (already reported): references to it say nothing more. */
    static Module broken(String name) {
        return new Module(name, null, List.of(), Map.of(), true);
    }

    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public List<ConfigFile> files() {
        return files;
    }

    public Map<String, Module> imports() {
        return imports;
    }

    public boolean broken() {
        return broken;
    }

    public boolean isRoot() {
        return name.isEmpty();
    }

    @Override
    public String toString() {
        return isRoot() ? "the stack" : "import " + name;
    }
}
