package dev.imm.eval;

import dev.imm.lang.ConfigFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A unit of configuration: the stack itself (every {@code .imm} file of its directory) or an imported
 * file. {@code name} is the import's name as the stack sees it ("" for the stack); {@code directory} is
 * what file paths in it are relative to (null for the standard library, which reads no files).
 * {@code broken} marks an import that failed to load.
 */
public record Module(String name, Path directory, List<ConfigFile> files, Map<String, Module> imports, boolean broken) {
    public Module {
        files = List.copyOf(files);
    }

    /** Stands for an import that could not be read (already reported): references to it say nothing more. */
    static Module broken(String name) {
        return new Module(name, null, List.of(), Map.of(), true);
    }

    public boolean isRoot() {
        return name.isEmpty();
    }
}
