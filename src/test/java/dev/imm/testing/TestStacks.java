package dev.imm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of example stacks for tests that change them, without their .imm/ state. */
public final class TestStacks {
    private TestStacks() {
    }

    /** Copies {@code examples/NAME} to {@code parent/as} and returns the copy. */
    public static Path copyExample(String name, Path parent, String as) {
        Path source = Path.of("examples", name);
        Path target = parent.resolve(as);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path relative = source.relativize(p);
                if (relative.toString().startsWith(".imm")) {
                    continue;
                }
                Path to = target.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES); // scripts stay executable
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }
}
