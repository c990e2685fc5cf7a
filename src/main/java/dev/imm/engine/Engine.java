package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.lang.Parser;
import dev.imm.lang.SourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The facade the command line and the console call: each operation takes a stack directory and returns
 * its result with its diagnostics. It never prints.
 */
public final class Engine {

    /** Reads and parses every {@code .imm} file of the stack in {@code dir} and reports all problems at once. */
    public Validation validate(Path dir) {
        Diagnostics diagnostics = new Diagnostics();
        SourceSet sources = new SourceSet();
        if (!Files.isDirectory(dir)) {
            diagnostics.add(Diagnostic.error(null, "stack directory " + dir + " does not exist")
                    .withDetail("Give the directory that holds the stack's .imm files, or run imm in it."));
            return new Validation(diagnostics.sorted(), sources, 0);
        }
        List<Path> files;
        try {
            files = SourceReader.stackFiles(dir);
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(null, "cannot list " + dir).withDetail(String.valueOf(e.getMessage())));
            return new Validation(diagnostics.sorted(), sources, 0);
        }
        if (files.isEmpty()) {
            diagnostics.add(Diagnostic.error(null, "no .imm files in " + dir)
                    .withDetail("A stack is a directory of .imm files; `imm init` writes a first one."));
        }
        for (Path file : files) {
            SourceFile source = SourceReader.read(file, displayPath(dir, file), diagnostics);
            if (source != null) {
                sources.add(source);
                diagnostics.addAll(Parser.parse(source).diagnostics());
            }
        }
        return new Validation(diagnostics.sorted(), sources, files.size());
    }

    /** A file's path as the user would type it: relative to the directory they named. */
    static String displayPath(Path dir, Path file) {
        return dir.resolve(file.getFileName()).normalize().toString();
    }
}
