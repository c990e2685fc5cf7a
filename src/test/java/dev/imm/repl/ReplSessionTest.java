package dev.imm.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.apply.ApplyHook;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.VariableSources;
import dev.imm.testing.Snapshots;
import dev.imm.testing.TestStacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripted console sessions: each line of {@code console/NAME.session} is one request, and the
 * transcript (request, then response) is compared with {@code NAME.out} (rewritten with
 * IMM_UPDATE_SNAPSHOTS=1). The stack is the quickstart, applied, with its script changed afterwards.
 */
class ReplSessionTest {
    @TempDir
    Path temp;

    private ReplSession appliedThenChanged() throws IOException {
        Path stack = TestStacks.copyExample("quickstart", temp, "shop");
        Engine engine = new Engine();
        assertTrue(engine.apply(engine.prepare(stack, PlanOptions.DEFAULT), ApplyHook.NONE, 1, Duration.ZERO, "test", e -> { })
                .succeeded());
        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "echo v2\n");
        return new ReplSession(stack, VariableSources.NONE);
    }

    @Test
    void scriptedSessionMatchesItsTranscript() throws IOException {
        ReplSession session = appliedThenChanged();
        StringBuilder transcript = new StringBuilder();
        for (String request : Files.readAllLines(Path.of("src/test/resources/console/quickstart.session"))) {
            ReplSession.Response response = session.handle(request);
            transcript.append("imm> ").append(request).append('\n')
                    .append(response.error() ? "[error]\n" : "").append(response.text());
        }
        Snapshots.assertMatches(Path.of("src/test/resources/console/quickstart.out"), transcript.toString());
    }

    @Test
    void errorsNeverEndTheSessionAndQuitDoes() throws IOException {
        ReplSession session = appliedThenChanged();
        assertTrue(session.handle("(((").error());
        assertFalse(session.handle("1 + 1").quit());
        assertEquals("2\n", session.handle("1 + 1").text());
        assertTrue(session.handle(":quit").quit());
    }

    @Test
    void completionOffersCommandsNamesAndFunctions() throws IOException {
        ReplSession session = appliedThenChanged();
        assertEquals(List.of(":plan"), session.complete(":pl"));
        assertEquals(List.of("image.web"), session.complete("image.w"));
        assertEquals(List.of("image.web.id"), session.complete("image.web.i"));
        assertTrue(session.complete("fleet.web.").contains("fleet.web.desired"));
        assertTrue(session.complete("up").contains("upper("));
        assertTrue(session.complete("ro").contains("rollout"));
    }

    @Test
    void inputWaitsWhileBracketsStringsOrHeredocsAreOpen() {
        assertFalse(ReplInput.isComplete("[for x in [\"a\"] :"));
        assertFalse(ReplInput.isComplete("upper(\"a\""));
        assertFalse(ReplInput.isComplete("<<EOT\nhello"));
        assertTrue(ReplInput.isComplete("<<EOT\nhello\nEOT"));
        assertTrue(ReplInput.isComplete("[1, 2]"));
        assertTrue(ReplInput.isComplete("\"cut short\nx"), "a string cut by a newline is an error, not more input");
    }
}
