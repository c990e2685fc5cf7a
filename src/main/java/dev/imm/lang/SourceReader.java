package dev.imm.lang;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads {@code .imm} files from disk as strict UTF-8 (a leading byte-order mark is dropped). A file that
 * cannot be read or is not UTF-8 becomes a diagnostic, never an exception.
 */
public final class SourceReader {
    public static final String EXTENSION = ".imm";

    private SourceReader() {
    }

    /** The file, shown in diagnostics under {@code displayPath}, or null with a diagnostic added. */
    public static SourceFile read(Path file, String displayPath, Diagnostics diagnostics) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            return new SourceFile(displayPath, text);
        } catch (CharacterCodingException e) {
            diagnostics.add(Diagnostic.error(null, "file " + displayPath + " is not valid UTF-8")
                    .withDetail("imm reads .imm files as UTF-8; convert the file and try again."));
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(null, "cannot read " + displayPath)
                    .withDetail(String.valueOf(e.getMessage())));
        }
        return null;
    }

    /** The {@code .imm} files directly in {@code dir} (a stack never reads sub-directories), sorted by name. */
    public static List<Path> stackFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p))
                    .sorted()
                    .forEach(files::add);
        }
        return files;
    }
}
