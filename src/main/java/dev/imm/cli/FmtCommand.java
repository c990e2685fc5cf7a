package dev.imm.cli;

import dev.imm.diag.DiagnosticRenderer;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.lang.Formatter;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import dev.imm.lang.SourceReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

final class FmtCommand extends Verb {
    boolean check;
    List<Path> paths = new ArrayList<>(List.of(Path.of(".")));

    FmtCommand(Main main) {
        super(main, "fmt", Model.lines("Rewrite .imm files in the canonical layout, in place.",
                "Directories are searched recursively (hidden directories and target/ are skipped).",
                "Files with syntax errors are left untouched and their errors are printed."),
                "", "Examples:", "  imm fmt", "  imm fmt --check examples", "  imm fmt main.imm fleets.imm");
        spec.addOption(Model.flag("--check", "Change nothing; list the files that are not formatted and exit 1 if any.",
                () -> check, v -> check = v).build());
        spec.addPositional(Model.positionals("PATH", "Files or directories (default: current directory).", Path.class,
                () -> paths, v -> paths = v).build());
    }

    @Override
    public Integer call() throws IOException {
        boolean failed = false;
        boolean unformatted = false;
        for (Path file : files()) {
            if (file == null) {
                failed = true;
                continue;
            }
            Diagnostics diagnostics = new Diagnostics();
            String display = file.normalize().toString();
            SourceFile source = SourceReader.read(file, display, diagnostics);
            ParseResult parsed = source == null ? null : Parser.parse(source);
            if (parsed != null) {
                diagnostics.addAll(parsed.diagnostics());
            }
            if (diagnostics.hasErrors()) {
                main.err.print(new DiagnosticRenderer(p -> source, main.color()).render(diagnostics));
                failed = true;
                continue;
            }
            String formatted = Formatter.format(source);
            if (formatted.equals(source.text())) {
                continue;
            }
            if (!Formatter.sameMeaning(parsed, new SourceFile(display, formatted))) {
                main.err.println("imm: internal error: formatting " + display + " would change its meaning; the file was left as it is.");
                main.err.println("This is a bug in imm; please report it with the file.");
                return ExitCode.INTERNAL;
            }
            unformatted = true;
            if (!check) {
                Files.writeString(file, formatted, StandardCharsets.UTF_8);
            }
            main.out.println(display);
        }
        if (failed || (check && unformatted)) {
            return ExitCode.ERRORS;
        }
        return ExitCode.OK;
    }

    /** The files to format in a stable order; a null entry stands for a path that does not exist (reported). */
    private List<Path> files() throws IOException {
        List<Path> result = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(SourceReader.EXTENSION))
                            .filter(p -> !isSkipped(path.relativize(p)))
                            .sorted()
                            .forEach(result::add);
                }
            } else if (Files.isRegularFile(path)) {
                result.add(path);
            } else {
                main.err.println("imm: no such file or directory: " + path);
                result.add(null);
            }
        }
        return result;
    }

    /** Hidden directories (such as .imm, .git) and build output are never formatted. */
    private static boolean isSkipped(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            String name = relative.getName(i).toString();
            if (name.startsWith(".") || name.equals("target")) {
                return true;
            }
        }
        return false;
    }
}
