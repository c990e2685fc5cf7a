package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.imm.testing.TestStacks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan and apply as a user runs them: exit codes, formats, confirmation, saved plans. */
class PlanApplyCliTest {
    @TempDir
    Path temp;

    private Path stack() {
        return TestStacks.copyExample("quickstart", temp, "shop");
    }


    @Test
    void detailedExitCodeSaysWhetherThereAreChanges() throws IOException {
        Path stack = stack();
        assertEquals(ExitCode.CHANGES, CliRun.of("plan", stack.toString(), "--detailed-exitcode").exitCode());
        assertEquals(ExitCode.OK, CliRun.of("plan", stack.toString()).exitCode());
        assertEquals(ExitCode.OK, CliRun.of("apply", stack.toString(), "--auto-approve").exitCode());
        CliRun again = CliRun.of("plan", stack.toString(), "--detailed-exitcode");
        assertEquals(ExitCode.OK, again.exitCode());
        assertTrue(again.out().startsWith("No changes."), again.out());
    }

    @Test
    void applyWithoutATerminalAndWithoutAutoApproveChangesNothing() throws IOException {
        Path stack = stack();
        CliRun run = CliRun.of("apply", stack.toString());
        assertEquals(ExitCode.ERRORS, run.exitCode());
        assertTrue(run.err().contains("--auto-approve"), run.err());
        assertTrue(Files.notExists(stack.resolve(".imm/state.git/refs/heads/main")), "nothing was recorded");
    }

    @Test
    void jsonPlansAreVersionedAndParse() throws IOException {
        CliRun run = CliRun.of("plan", stack().toString(), "--format", "json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode plan = new ObjectMapper().readTree(run.out());
        assertEquals(1, plan.path("format_version").asInt());
        assertEquals(1, plan.path("summary").path("bake").asInt());
        assertEquals("image.web", plan.path("changes").get(0).path("address").asText());
        assertEquals(ExitCode.USAGE, CliRun.of("plan", "--format", "yaml").exitCode());
        assertEquals(ExitCode.USAGE, CliRun.of("plan", "--target", "web").exitCode());
    }

    @Test
    void aSavedPlanAppliesOnceAndIsRefusedAfterTheStateMoved() throws IOException {
        Path stack = stack();
        Path planFile = temp.resolve("shop.plan");
        assertEquals(0, CliRun.of("plan", stack.toString(), "-out", planFile.toString()).exitCode());
        assertEquals(0, CliRun.of("apply", planFile.toString(), "--auto-approve").exitCode());
        CliRun stale = CliRun.of("apply", planFile.toString(), "--auto-approve");
        assertEquals(ExitCode.ERRORS, stale.exitCode());
        assertTrue(stale.err().contains("the state changed since the plan was made"), stale.err());
    }

    @Test
    void aSavedPlanIsRefusedWhenTheStackNoLongerGivesIt() throws IOException {
        Path stack = stack();
        Path planFile = temp.resolve("shop.plan");
        assertEquals(0, CliRun.of("plan", stack.toString(), "-out", planFile.toString()).exitCode());
        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "echo changed\n");
        CliRun run = CliRun.of("apply", planFile.toString(), "--auto-approve");
        assertEquals(ExitCode.ERRORS, run.exitCode());
        assertTrue(run.err().contains("the stack no longer gives this plan"), run.err());
    }

    @Test
    void historyListsAppliesAndRollbackReturnsWithoutBaking() throws IOException {
        Path stack = stack();
        assertEquals(0, CliRun.of("apply", stack.toString(), "--auto-approve").exitCode());
        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "echo v2\n");
        assertEquals(0, CliRun.of("apply", stack.toString(), "--auto-approve").exitCode());
        CliRun history = CliRun.of("history", stack.toString());
        assertEquals(2, history.out().lines().count(), history.out());
        CliRun rollback = CliRun.of("rollback", stack.toString(), "--auto-approve");
        assertEquals(0, rollback.exitCode(), rollback.err());
        assertTrue(!rollback.out().contains("will be baked"), rollback.out());
        assertEquals(3, CliRun.of("history", stack.toString(), "--json").out().split("\"revision\"").length - 1);
    }

    @Test
    void applyJsonStreamsOneEventPerLineAndKeepsThePlanOffStdout() throws IOException {
        CliRun run = CliRun.of("apply", stack().toString(), "--auto-approve", "--json");
        assertEquals(0, run.exitCode(), run.err());
        ObjectMapper mapper = new ObjectMapper();
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        for (String line : run.out().split("\n")) {
            events.add(mapper.readTree(line));
        }
        assertEquals("started", events.get(0).path("type").asText());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("finished", last.path("type").asText());
        assertEquals("fleet.web", last.path("address").asText());
        assertEquals("done", last.path("status").asText());
        assertTrue(run.err().contains("Plan: 1 to bake"), "the plan is shown on stderr");
    }

    @Test
    void completionScriptsForBashAndZsh() {
        CliRun bash = CliRun.of("completion", "bash");
        assertEquals(0, bash.exitCode());
        assertTrue(bash.out().contains("complete -F") && bash.out().contains("validate") && bash.out().contains("rollback"),
                bash.out().substring(0, Math.min(300, bash.out().length())));
        CliRun zsh = CliRun.of("completion", "zsh");
        assertTrue(zsh.out().startsWith("autoload -U +X compinit && compinit"), zsh.out().substring(0, 80));
        assertEquals(ExitCode.USAGE, CliRun.of("completion", "fish").exitCode());
    }

    @Test
    void consoleReadsOneRequestPerLineFromAPipe() throws IOException {
        Path stack = stack();
        CliRun run = CliRun.withInput("upper(\"a\")\nfleet.web.desired\n[1,\n 2]\nnope\n", "console", stack.toString());
        assertEquals("\"A\"\n4\n[1, 2]\n", run.out());
        assertTrue(run.err().contains("unknown name \"nope\""), run.err());
        assertEquals(ExitCode.ERRORS, run.exitCode(), "an error in the script makes the exit code 1");
    }

    @Test
    void markdownCallsOutFailedChecksForPullRequests() throws IOException {
        Path stack = stack();
        Path checks = stack.resolve("checks.imm");
        Files.writeString(checks, "check \"capacity\" {\n  assert {\n    condition = fleet.web.desired >= 10\n"
                + "    message   = \"run at least ten instances\"\n  }\n}\n");
        CliRun failed = CliRun.of("plan", stack.toString(), "--format", "markdown");
        assertEquals(ExitCode.ERRORS, failed.exitCode());
        assertTrue(failed.out().contains("[!CAUTION]") && failed.out().contains("check \"capacity\" failed")
                && failed.out().contains("run at least ten instances"), failed.out());

        Files.writeString(checks, Files.readString(checks).replace("check \"capacity\" {", "check \"capacity\" {\n  severity = \"warning\""));
        CliRun warned = CliRun.of("plan", stack.toString(), "--format", "markdown");
        assertEquals(0, warned.exitCode(), warned.err());
        int warning = warned.out().indexOf("[!WARNING]");
        assertTrue(warning > 0 && warning < warned.out().indexOf("**Plan:**"), "the warning comes before the summary");
        assertTrue(warned.out().contains("run at least ten instances"), warned.out());
    }
}
