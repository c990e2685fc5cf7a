package dev.imm.engine;

import dev.imm.diag.SourceFile;
import java.util.LinkedHashMap;
import java.util.Map;

/** The source files a command read, by the path diagnostics name them with, so they can be rendered. */
public final class SourceSet {
    private final Map<String, SourceFile> files = new LinkedHashMap<>();

    public void add(SourceFile file) {
        files.put(file.path(), file);
    }

    /** Every file read, in the order read. */
    public java.util.Collection<SourceFile> all() {
        return java.util.Collections.unmodifiableCollection(files.values());
    }

    /** The file, or null when none was read under that path. */
    public SourceFile get(String path) {
        return files.get(path);
    }
}
