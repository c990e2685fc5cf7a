package dev.imm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected-output files beside test inputs. With {@code IMM_UPDATE_SNAPSHOTS=1} in the environment a
 * mismatch rewrites the file instead of failing; review the diff like code.
 */
public final class Snapshots {
    public static final String UPDATE_SWITCH = "IMM_UPDATE_SNAPSHOTS";

    private Snapshots() {
    }

    public static boolean updating() {
        return "1".equals(System.getenv(UPDATE_SWITCH));
    }

    public static void assertMatches(Path expectedFile, String actual) {
        try {
            if (updating()) {
                if (!Files.exists(expectedFile) || !Files.readString(expectedFile).equals(actual)) {
                    Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
                }
                return;
            }
            if (!Files.exists(expectedFile)) {
                fail("missing " + expectedFile + "; run the tests with " + UPDATE_SWITCH + "=1 to write it, then review it");
            }
            assertEquals(Files.readString(expectedFile), actual, "output differs from " + expectedFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes an expectation that no longer applies (an .out where an .err is now expected), when updating. */
    public static void assertAbsent(Path file) {
        if (Files.exists(file)) {
            if (updating()) {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                fail(file + " should not exist for this input; run with " + UPDATE_SWITCH + "=1 to remove it");
            }
        }
    }
}
