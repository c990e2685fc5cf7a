package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.state.HistoryEntry;
import dev.imm.state.Lock;
import dev.imm.state.Revision;
import dev.imm.state.git.GitStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verbs around plan and apply, as a user runs them on the quickstart: show, state list/show, unlock,
 * init, destroy, refresh, drift and graph.
 */
class StackVerbsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path quickstart() throws IOException {
        Path target = temp.resolve("quickstart");
        Path source = Path.of("examples/quickstart");
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (source.relativize(p).toString().startsWith(".imm")) {
                    continue;
                }
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return target;
    }

    private Path applied() throws IOException {
        Path stack = quickstart();
        ok("apply", stack.toString(), "--auto-approve");
        return stack;
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(ExitCode.OK, run.exitCode(), () -> String.join(" ", args) + "\n" + run.out() + run.err());
        return run;
    }

    private static GitStateStore store(Path stack) {
        return new GitStateStore(stack.resolve(".imm/state.git"), "main", null);
    }

    private static Revision head(Path stack) throws Exception {
        try (GitStateStore store = store(stack)) {
            return store.head().orElseThrow();
        }
    }

    /** Changes a fleet of the simulated cloud behind imm's back, as someone in the console would. */
    private static void inTheCloud(Path stack, java.util.function.Consumer<ObjectNode> change) throws IOException {
        Path file = stack.resolve(".imm/sim/cloud.json");
        ObjectNode cloud = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(cloud);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), cloud);
    }

    // ---- show, state list, state show

    @Test
    void withoutStateShowAndStateListSaySoAndSucceed() throws IOException {
        Path stack = quickstart();
        CliRun show = ok("show", stack.toString());
        assertTrue(show.out().startsWith("No state yet"), show.out());
        CliRun list = ok("state", "list", stack.toString());
        assertEquals("", list.out(), "nothing on stdout: scripts read addresses from it");
        assertTrue(list.err().startsWith("No state yet"), list.err());
        assertFalse(Files.exists(stack.resolve(".imm/state.git")), "looking creates no state repository");
    }

    @Test
    void showListsRevisionImagesWithVersionsAndFleets() throws Exception {
        Path stack = applied();
        CliRun show = ok("show", stack.toString());
        assertTrue(show.out().startsWith("Revision " + head(stack).shortId() + " (serial "), show.out());
        assertTrue(show.out().contains("\nimage.web\n  ami-"), show.out());
        assertTrue(show.out().contains("(current)"), show.out());
        assertTrue(show.out().contains("\nfleet.web\n  fleet_id "), show.out());
        assertTrue(show.out().matches("(?s).*\n  desired +=  ?4\n.*"), show.out());
        assertTrue(show.out().contains("rollout.rolling"), show.out());

        String first = head(stack).shortId();
        Path script = stack.resolve("scripts/install.sh");
        Files.writeString(script, Files.readString(script) + "echo v2\n");
        ok("apply", stack.toString(), "--auto-approve");
        CliRun earlier = ok("show", stack.toString(), "--revision", first);
        assertEquals(show.out(), earlier.out(), first + " is the state the first apply left");
        CliRun unknown = CliRun.of("show", stack.toString(), "--revision", "deadbeef");
        assertEquals(ExitCode.ERRORS, unknown.exitCode());
        assertTrue(unknown.err().contains("no revision deadbeef"), unknown.err());
    }

    @Test
    void stateListAndStateShowGiveAddressesAndRecords() throws Exception {
        Path stack = applied();
        assertEquals("image.web\nfleet.web\n", ok("state", "list", stack.toString()).out());

        JsonNode fleet = JSON.readTree(ok("state", "show", "fleet.web", stack.toString()).out());
        assertEquals("fleet.web", fleet.get("address").asText());
        assertEquals(4, fleet.get("desired").asInt());
        assertEquals("image.web", fleet.get("image").asText());
        JsonNode image = JSON.readTree(ok("state", "show", "image.web", stack.toString()).out());
        assertEquals(fleet.get("launch").get("image_id").asText(), image.get("versions").get(0).get("image_id").asText());

        CliRun typo = CliRun.of("state", "show", "fleet.wbe", stack.toString());
        assertEquals(ExitCode.ERRORS, typo.exitCode());
        assertTrue(typo.err().contains("fleet.wbe is not in the state"), typo.err());
        assertTrue(typo.err().contains("Did you mean fleet.web?"), typo.err());
        assertEquals(ExitCode.USAGE, CliRun.of("state", "show", "web", stack.toString()).exitCode());
        assertEquals(ExitCode.USAGE, CliRun.of("state", stack.toString()).exitCode(), "state needs list or show");
    }

    @Test
    void aMissingDirectoryIsAnErrorNotNoState() {
        CliRun run = CliRun.of("show", temp.resolve("nope").toString());
        assertEquals(ExitCode.ERRORS, run.exitCode());
        assertTrue(run.err().contains("does not exist"), run.err());
    }

    // ---- unlock

    @Test
    void unlockSaysNotLockedAndBreaksOnlyExpiredLocksUnlessForced() throws Exception {
        Path stack = applied();
        CliRun free = ok("unlock", stack.toString());
        assertEquals("The state is not locked.\n", free.out());

        try (GitStateStore store = store(stack)) {
            Lock held = store.lock("alice", "apply 1234", Duration.ofMinutes(10), Duration.ZERO);
            CliRun live = CliRun.of("unlock", stack.toString());
            assertEquals(ExitCode.ERRORS, live.exitCode());
            assertTrue(live.out().startsWith("Locked by alice for apply 1234 since "), live.out());
            assertTrue(live.err().contains("--force"), live.err());
            assertTrue(store.currentLock().isPresent(), "a live lock is left alone");

            CliRun forced = ok("unlock", stack.toString(), "--force");
            assertTrue(forced.out().contains("Lock broken"), forced.out());
            assertTrue(store.currentLock().isEmpty());
            assertThrowsStateException(held::renew);

            store.lock("bob", "apply 5678", Duration.ofMillis(1), Duration.ZERO);
            Thread.sleep(20);
            CliRun expired = ok("unlock", stack.toString());
            assertTrue(expired.out().contains("lease ended"), expired.out());
            assertTrue(expired.out().contains("Lock broken: its lease had ended."), expired.out());
            assertTrue(store.currentLock().isEmpty());
        }
    }

    private static void assertThrowsStateException(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertThrows(dev.imm.state.StateException.class, e,
                "the broken holder learns it at its next renewal");
    }

    // ---- init

    @Test
    void initWritesAStackThatValidatesIsFormattedAndPlans() throws IOException {
        Path dir = temp.resolve("new/stack");
        CliRun init = ok("init", dir.toString());
        assertTrue(init.out().contains("main.imm"), init.out());
        assertTrue(Files.isRegularFile(dir.resolve("scripts/install.sh")));
        assertEquals(".imm/\n", Files.readString(dir.resolve(".gitignore")));
        String main = Files.readString(dir.resolve("main.imm"));
        assertTrue(main.contains("id = \"ami-0123456789abcdef0\""), main);
        assertTrue(main.contains("provision \"shell\"") && main.contains("scripts/install.sh"), main);
        assertTrue(main.contains("strategy    = \"rolling\""), main);

        ok("validate", dir.toString());
        CliRun fmt = ok("fmt", "--check", dir.toString());
        assertEquals("", fmt.out(), "written in the canonical layout");
        assertEquals(ExitCode.CHANGES, CliRun.of("plan", dir.toString(), "--detailed-exitcode").exitCode());

        CliRun again = CliRun.of("init", dir.toString());
        assertEquals(ExitCode.ERRORS, again.exitCode());
        assertTrue(again.err().contains("already holds a stack"), again.err());
        assertEquals(main, Files.readString(dir.resolve("main.imm")), "nothing was overwritten");
    }

    @Test
    void initKeepsAScriptAndAddsToAnExistingGitignore() throws IOException {
        Path dir = temp.resolve("existing");
        Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(dir.resolve("scripts/install.sh"), "echo mine\n");
        Files.writeString(dir.resolve(".gitignore"), "target/");
        ok("init", dir.toString());
        assertEquals("echo mine\n", Files.readString(dir.resolve("scripts/install.sh")));
        assertEquals("target/\n.imm/\n", Files.readString(dir.resolve(".gitignore")));
        ok("validate", dir.toString());
    }

    // ---- destroy

    @Test
    void destroyAsksWithoutATerminalThenDestroysEverythingAndRecordsIt() throws Exception {
        Path stack = applied();
        Revision before = head(stack);
        CliRun refused = CliRun.of("destroy", stack.toString());
        assertEquals(ExitCode.ERRORS, refused.exitCode());
        assertTrue(refused.err().contains("--auto-approve"), refused.err());
        assertEquals(before, head(stack), "nothing was recorded");

        CliRun destroyed = ok("destroy", stack.toString(), "--auto-approve");
        assertTrue(destroyed.out().contains("- fleet.web will be destroyed"), destroyed.out());
        assertTrue(destroyed.out().contains("x image.web has a version to retire"), destroyed.out());
        assertTrue(destroyed.out().contains("succeeded; recorded as revision"), destroyed.out());

        assertEquals("", ok("state", "list", stack.toString()).out());
        assertFalse(ok("show", stack.toString()).out().contains("Outputs:"), "a destroyed stack has no outputs");
        assertEquals(ExitCode.OK, CliRun.of("drift", stack.toString()).exitCode(), "the cloud holds nothing either");
        try (GitStateStore store = store(stack)) {
            HistoryEntry last = store.history(Optional.empty(), 1).get(0);
            assertEquals("succeeded", last.trailers().get("Imm-Status"));
            assertTrue(last.summary().contains("1 destroy, 1 retire"), last.summary());
        }
        CliRun nothing = ok("destroy", stack.toString(), "--auto-approve");
        assertTrue(nothing.out().startsWith("Nothing to destroy"), nothing.out());
    }

    @Test
    void destroyRefusesAFleetWithPreventDestroy() throws Exception {
        Path stack = quickstart();
        Path main = stack.resolve("main.imm");
        String text = Files.readString(main);
        String rollout = "  rollout       = rollout.rolling\n}";
        assertTrue(text.contains(rollout));
        Files.writeString(main, text.replace(rollout, "  rollout       = rollout.rolling\n\n  prevent_destroy = true\n}"));
        ok("apply", stack.toString(), "--auto-approve");
        Revision before = head(stack);

        CliRun refused = CliRun.of("destroy", stack.toString(), "--auto-approve");
        assertEquals(ExitCode.ERRORS, refused.exitCode());
        assertTrue(refused.out().contains("fleet.web has prevent_destroy = true"), refused.out());
        assertEquals(before, head(stack));
        assertEquals("image.web\nfleet.web\n", ok("state", "list", stack.toString()).out());
    }

    // ---- refresh and drift

    @Test
    void refreshAfterChangingNothingIsANoOpAndDriftFindsNone() throws Exception {
        Path stack = applied();
        Revision before = head(stack);
        CliRun drift = ok("drift", stack.toString());
        assertTrue(drift.out().startsWith("No drift"), drift.out());
        CliRun refresh = ok("refresh", stack.toString());
        assertTrue(refresh.out().startsWith("No changes"), refresh.out());
        assertEquals(before, head(stack), "nothing was committed");
    }

    @Test
    void driftListsWhatTheCloudChangedAndRefreshRecordsIt() throws Exception {
        Path stack = applied();
        inTheCloud(stack, cloud -> ((ObjectNode) cloud.get("fleets").get(0)).put("desired", 6));

        CliRun drift = CliRun.of("drift", stack.toString());
        assertEquals(ExitCode.CHANGES, drift.exitCode(), drift.err());
        assertEquals("fleet.web desired 4 -> 6 (changed in the cloud)\n", drift.out());

        CliRun refresh = ok("refresh", stack.toString());
        assertTrue(refresh.out().contains("  fleet.web desired 4 -> 6 (changed in the cloud)\n"), refresh.out());
        assertEquals(6, JSON.readTree(ok("state", "show", "fleet.web", stack.toString()).out()).get("desired").asInt());
        try (GitStateStore store = store(stack)) {
            HistoryEntry last = store.history(Optional.empty(), 1).get(0);
            assertTrue(last.summary().startsWith("refresh: "), last.summary());
            assertEquals("refresh-" + last.revision().serial(), last.trailers().get("Imm-Apply"));
            assertEquals("succeeded", last.trailers().get("Imm-Status"));
        }
        assertEquals(ExitCode.OK, CliRun.of("drift", stack.toString()).exitCode(), "recorded: no drift left");
    }

    @Test
    void driftSeesInstancesOffImageAndLostImagesAndRefreshDropsOnlyWhatIsGone() throws Exception {
        Path stack = applied();
        String imageId = JSON.readTree(ok("state", "show", "image.web", stack.toString()).out())
                .get("versions").get(0).get("image_id").asText();
        inTheCloud(stack, cloud -> {
            ObjectNode instance = (ObjectNode) cloud.get("fleets").get(0).get("instances").get(0);
            instance.put("image_id", "ami-0123456789abcdef0");
            for (JsonNode image : cloud.get("images")) {
                ((ObjectNode) image).put("state", "deregistered").put("deregistered_at", cloud.get("clock").asLong());
            }
        });
        CliRun drift = CliRun.of("drift", stack.toString());
        assertEquals(ExitCode.CHANGES, drift.exitCode(), drift.err());
        assertEquals(List.of("image.web " + imageId + " missing", "fleet.web 1 instance not on " + imageId),
                drift.out().lines().toList());

        CliRun refresh = ok("refresh", stack.toString());
        assertTrue(refresh.out().contains("Not recorded"), refresh.out());
        assertEquals("fleet.web\n", ok("state", "list", stack.toString()).out());
        assertEquals(List.of("fleet.web 1 instance not on " + imageId), CliRun.of("drift", stack.toString()).out().lines().toList());
    }

    // ---- graph

    @Test
    void graphPrintsDependenciesAsDeterministicDot() throws IOException {
        Path stack = quickstart();
        CliRun graph = ok("graph", stack.toString());
        assertTrue(graph.out().startsWith("digraph \"quickstart\" {\n"), graph.out());
        assertTrue(graph.out().contains("  \"fleet.web\" -> \"image.web\";\n"), graph.out());
        assertTrue(graph.out().contains("  \"fleet.web\" -> \"rollout.rolling\";\n"), graph.out());
        assertEquals(graph.out(), ok("graph", stack.toString()).out());

        CliRun showcase = ok("graph", "examples/showcase", "-var", "env=prod");
        assertTrue(showcase.out().contains("\"image.app\" -> \"image.base\";"), showcase.out());
        assertTrue(showcase.out().contains("\"image.base\" -> \"component.monitoring\";"), showcase.out());
        assertTrue(showcase.out().contains("\"rollout.canary\" -> \"rollouts.canary\";"), showcase.out());
        assertTrue(showcase.out().contains("\"fleet.worker[\\\"eu\\\"]\" -> \"rollout.careful\";"), showcase.out());
        assertTrue(showcase.out().contains("\"fleet.admin\" -> \"rollouts.blue_green\";"), showcase.out());
        assertFalse(showcase.out().contains("rollouts.rolling_fast"), "imported blocks only when something depends on them");
    }

    @Test
    void graphOfABrokenStackShowsTheErrors() throws IOException {
        Path dir = temp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.imm"), "fleet \"web\" {\n  image = image.nope\n}\n");
        CliRun run = CliRun.of("graph", dir.toString());
        assertEquals(ExitCode.ERRORS, run.exitCode());
        assertEquals("", run.out());
        assertTrue(run.err().contains("error"), run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"show", "state", "state list", "state show", "unlock", "init", "destroy", "refresh", "drift", "graph"})
    void everyNewVerbHasHelpWithExamples(String verb) {
        String[] words = (verb + " --help").split(" ");
        CliRun run = CliRun.of(words);
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("Usage: imm " + verb), run.out());
        assertTrue(run.out().contains("Examples:"), run.out());
    }

    @Test
    void driftDocumentsItsExitCodes() {
        String help = ok("drift", "--help").out();
        assertTrue(help.contains("2   drift found") || help.contains("2    drift found"), help);
    }
}
