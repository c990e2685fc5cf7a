package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void validateAcceptsTheExamples() {
        CliRun run = CliRun.of("validate", "examples/showcase");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("The stack is valid"), run.out());
    }

    @Test
    void validateReportsEveryFileErrorsSortedAndExitsOne() throws IOException {
        write("b.imm", "fleet \"b\" {\n  x = \n}\n");
        write("a.imm", "image \"a\" {\n  y = 'q'\n}\n");
        write("sub/ignored.imm", "this is not read at all {");
        CliRun run = CliRun.of("validate", dir.toString());
        assertEquals(1, run.exitCode());
        int a = run.err().indexOf("a.imm:2:7");
        int b = run.err().indexOf("b.imm:3:1");
        assertTrue(a >= 0 && b > a, run.err());
        assertTrue(run.err().endsWith("3 errors\n"), run.err());
        assertTrue(!run.err().contains("ignored.imm"), "sub-directories are not part of the stack");
    }

    @Test
    void validateOfAMissingDirectoryIsAnErrorNotACrash() {
        CliRun run = CliRun.of("validate", dir.resolve("nope").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("does not exist"), run.err());
    }

    @Test
    void fmtCheckListsUnformattedFilesAndChangesNothing() throws IOException {
        Path file = write("main.imm", "a=1\nbb = 2\n");
        CliRun run = CliRun.of("fmt", "--check", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals(file.toString() + "\n", run.out());
        assertEquals("a=1\nbb = 2\n", Files.readString(file));
    }

    @Test
    void fmtRewritesInPlaceAndIsThenClean() throws IOException {
        Path file = write("main.imm", "a=1\nbb = 2\nimage \"x\" {\n}\n");
        assertEquals(0, CliRun.of("fmt", dir.toString()).exitCode());
        assertEquals("a  = 1\nbb = 2\n\nimage \"x\" {\n}\n", Files.readString(file));
        CliRun again = CliRun.of("fmt", "--check", file.toString());
        assertEquals(0, again.exitCode());
        assertEquals("", again.out());
    }

    @Test
    void fmtLeavesFilesWithSyntaxErrorsUntouchedAndShowsTheErrors() throws IOException {
        Path file = write("bad.imm", "a  =  \"x\n");
        CliRun run = CliRun.of("fmt", file.toString());
        assertEquals(1, run.exitCode());
        assertEquals("a  =  \"x\n", Files.readString(file));
        assertTrue(run.err().contains("unterminated string"), run.err());
    }

    @Test
    void fmtSkipsHiddenDirectories() throws IOException {
        Path hidden = write(".imm/state.imm", "a=1\n");
        assertEquals(0, CliRun.of("fmt", dir.toString()).exitCode());
        assertEquals("a=1\n", Files.readString(hidden));
    }

    @Test
    void usageErrorsExit64WithAHint() {
        CliRun unknown = CliRun.of("frobnicate");
        assertEquals(ExitCode.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("--help"), unknown.err());
        assertEquals(ExitCode.USAGE, CliRun.of("fmt", "--chekc").exitCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"validate", "fmt", "version"})
    void everyVerbHasHelp(String verb) {
        CliRun run = CliRun.of(verb, "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("Usage: imm " + verb), run.out());
    }

    @Test
    void versionPrintsOneLine() {
        CliRun run = CliRun.of("version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("imm "), run.out());
    }
}
