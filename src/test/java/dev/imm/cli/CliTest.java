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

    private static final String[] VERBS = {"validate", "fmt", "plan", "apply", "history", "rollback", "show", "state", "unlock",
        "init", "destroy", "refresh", "drift", "graph", "completion", "console", "lsp", "version", "help"};

    @ParameterizedTest
    @ValueSource(strings = {"validate", "fmt", "plan", "apply", "history", "rollback", "show", "state", "unlock", "init",
        "destroy", "refresh", "drift", "graph", "completion", "console", "lsp", "version"})
    void everyVerbHasHelp(String verb) {
        CliRun run = CliRun.of(verb, "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("Usage: imm " + verb), run.out());
        CliRun viaHelp = CliRun.of("help", verb);
        assertEquals(run.out(), viaHelp.out(), "imm help " + verb + " is imm " + verb + " --help");
    }

    /** A run adds only the verb it runs (Main.commandLine); help, completion and mistakes still see them all. */
    @Test
    void helpListsEveryVerbAndMistakesGetTheNearest() {
        for (String[] args : new String[][] {{"--help"}, {"help"}, {}}) {
            CliRun run = CliRun.of(args);
            assertEquals(0, run.exitCode(), String.join(" ", args));
            for (String verb : VERBS) {
                assertTrue(run.out().contains("\n  " + verb + " "), "imm " + String.join(" ", args) + " lists " + verb + ": " + run.out());
            }
        }
        CliRun typo = CliRun.of("plna");
        assertEquals(ExitCode.USAGE, typo.exitCode());
        assertTrue(typo.err().contains("Did you mean: imm plan"), typo.err());
        CliRun bash = CliRun.of("completion", "bash");
        assertEquals(0, bash.exitCode(), bash.err());
        for (String verb : VERBS) {
            assertTrue(bash.out().contains(verb), "the completion script offers " + verb);
        }
        assertTrue(CliRun.of("--no-color", "version").out().startsWith("imm "), "global options before the verb");
    }

    @Test
    void versionPrintsOneLine() {
        CliRun run = CliRun.of("version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().startsWith("imm "), run.out());
    }

    private static final String STACK = String.join("\n",
            "variable \"env\" {",
            "  type = string",
            "  validation {",
            "    condition = contains([\"staging\", \"prod\"], var.env)",
            "    message   = \"env must be staging or prod\"",
            "  }",
            "}",
            "",
            "variable \"size\" {",
            "  type    = number",
            "  default = 2",
            "}",
            "",
            "output \"summary\" {",
            "  value = \"${var.env}:${var.size}\"",
            "}",
            "");

    @Test
    void validateReportsSemanticMistakesWithHints() throws IOException {
        write("main.imm", "fleet \"web\" {\n  image         = image.ap\n  instnace_type = \"t3.small\"\n  min = 1\n  max = 2\n}\n"
                + "image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n}\n");
        CliRun run = CliRun.of("validate", dir.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("did you mean \"app\"?"), run.err());
        assertTrue(run.err().contains("did you mean \"instance_type\"?"), run.err());
        assertTrue(run.err().endsWith("2 errors\n"), run.err());
    }

    @Test
    void variablesComeFromVarThenVarFileThenEnvironmentThenDefault() throws IOException {
        write("main.imm", STACK);
        Path varFile = write("vars/prod.json", "{\"env\": \"prod\", \"size\": 5}");
        assertEquals(0, CliRun.of("validate", dir.toString(), "-var", "env=staging").exitCode());
        CliRun invalid = CliRun.of("validate", dir.toString(), "-var", "env=dev");
        assertEquals(1, invalid.exitCode());
        assertTrue(invalid.err().contains("env must be staging or prod"), invalid.err());
        // -var wins over the var file, which wins over the environment
        CliRun layered = CliRun.withEnv(java.util.Map.of("IMM_VAR_env", "dev"),
                "validate", dir.toString(), "-var-file", varFile.toString(), "-var", "size=7");
        assertEquals(0, layered.exitCode(), layered.err());
        CliRun fromEnv = CliRun.withEnv(java.util.Map.of("IMM_VAR_env", "dev"), "validate", dir.toString());
        assertEquals(1, fromEnv.exitCode(), "the environment's value is validated like any other");
    }

    @Test
    void aVariableThatIsNotDeclaredIsAnErrorFromTheCommandLine() throws IOException {
        write("main.imm", STACK);
        CliRun run = CliRun.of("validate", dir.toString(), "-var", "env=prod", "-var", "sise=3");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no variable \"sise\" is declared"), run.err());
        assertTrue(run.err().contains("Did you mean \"size\"?"), run.err());
    }

    @Test
    void aMalformedVarIsAUsageMistakeReportedAsADiagnostic() throws IOException {
        write("main.imm", STACK);
        CliRun run = CliRun.of("validate", dir.toString(), "-var", "env");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("-var needs NAME=VALUE"), run.err());
    }

    @Test
    void validateAcceptsBothExamples() {
        assertEquals(0, CliRun.of("validate", "examples/quickstart").exitCode());
        assertEquals(0, CliRun.of("validate", "examples/showcase", "-var", "env=prod").exitCode());
    }
}
