package dev.imm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code .imm} files under a directory, sorted, as {@code imm fmt} finds them: regular files only,
 * never inside a hidden directory. An example that the README's own commands applied has a
 * {@code .imm/} directory of state beside its files, and tests must not trip over it.
 */
public final class ImmFiles {
    private ImmFiles() {
    }

    public static List<Path> under(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".imm") && Files.isRegularFile(p))
                    .filter(p -> java.util.stream.StreamSupport.stream(root.relativize(p).spliterator(), false)
                            .noneMatch(part -> part.toString().startsWith(".")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
