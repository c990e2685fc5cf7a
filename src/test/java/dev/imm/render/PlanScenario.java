package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imm.apply.ApplyHook;
import dev.imm.diag.Diagnostic;
import dev.imm.diag.DiagnosticRenderer;
import dev.imm.engine.ApplyOutcome;
import dev.imm.engine.Engine;
import dev.imm.engine.PlanOptions;
import dev.imm.engine.PlanResult;
import dev.imm.engine.PreparedPlan;
import dev.imm.engine.VariableSources;
import dev.imm.model.Address;
import dev.imm.plan.Action;
import dev.imm.plan.Plan;
import dev.imm.plan.ResourceChange;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A stack from {@code src/test/resources/plan-scenarios/NAME/}, built for real on the simulated cloud:
 * {@code step1/} is copied into {@code TEMP/shop/} (a fixed directory name, because the stack's name is
 * its directory's and plans show it), and each later step's files are copied over it (a file of the
 * same name is replaced; nothing is deleted). Text files are copied with LF line endings, so a checkout
 * that turned them into CRLF gives the same scripts, bake hashes and plans.
 */
final class PlanScenario {
    static final Path ROOT = Path.of("src/test/resources/plan-scenarios");
    /** The name of every scenario's stack directory, and so of the stack. */
    static final String STACK = "shop";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path stack;
    private final Engine engine = new Engine();
    private List<String> variables = List.of();

    private PlanScenario(String name, Path stack) {
        this.name = name;
        this.stack = stack;
    }

    /** The scenario's stack at step 1, in {@code temp/shop}. */
    static PlanScenario start(String name, Path temp) {
        PlanScenario scenario = new PlanScenario(name, temp.resolve(STACK));
        scenario.step(1);
        return scenario;
    }

    Path stack() {
        return stack;
    }

    /** {@code -var NAME=VALUE} assignments for the plans and applies that follow. */
    PlanScenario withVariables(String... assignments) {
        this.variables = List.of(assignments);
        return this;
    }

    /** Copies the files of {@code stepN/} over the stack. */
    PlanScenario step(int n) {
        Path from = ROOT.resolve(name).resolve("step" + n);
        assertTrue(Files.isDirectory(from), "no scenario directory " + from);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                Path to = stack.resolve(from.relativize(file).toString());
                Files.createDirectories(to.getParent());
                String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
                Files.writeString(to, text, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Evaluates the stack, reads its state and the cloud, and plans, as {@code imm plan} does. */
    PreparedPlan prepare() {
        return prepare(Set.of());
    }

    /** As {@code imm plan --target ADDR...}. */
    PreparedPlan prepare(Set<Address> targets) {
        return engine.prepare(stack, new PlanOptions(new VariableSources(variables, List.of(), Map.of()), targets, Set.of(), true));
    }

    /** The plan, which must exist and come without error diagnostics. */
    Plan plan() {
        PreparedPlan prepared = prepare();
        requirePlan(prepared.result());
        return prepared.plan();
    }

    /** Plans and applies, as {@code imm apply --auto-approve} does; the apply must succeed. */
    PlanScenario apply() {
        return apply(Set.of());
    }

    /**
     * Applies the images that bake first ({@code imm apply --target image.X ...}), then everything else.
     * For a "before" state with several fleets that wait on one bake: the executor does not start such
     * fleets in plan order (it should, see docs/architecture.md "The simulated cloud is sequential"), so
     * their cloud ids, and so the live fingerprint, would depend on thread timing. Fleets that wait on
     * nothing start in plan order.
     */
    PlanScenario applyImagesFirst() {
        Set<Address> bakes = plan().changes().stream().filter(c -> c.action() == Action.BAKE)
                .map(ResourceChange::address).collect(Collectors.toSet());
        if (!bakes.isEmpty()) {
            apply(bakes);
        }
        return apply();
    }

    private PlanScenario apply(Set<Address> targets) {
        PreparedPlan prepared = prepare(targets);
        requirePlan(prepared.result());
        assertEquals(List.of(), prepared.plan().blockers(), name + ": the plan to apply has blockers");
        ApplyOutcome outcome = engine.apply(prepared, ApplyHook.NONE, 1, Duration.ZERO, "test", e -> {
        });
        assertTrue(outcome.succeeded(), name + ": the apply did not succeed: " + outcome.diagnostics()
                + (outcome.result() == null ? "" : " " + outcome.result().status() + " " + outcome.result().steps()));
        return this;
    }

    private void requirePlan(PlanResult result) {
        if (result.hasErrors()) {
            fail(name + ": the stack does not plan:\n" + diagnostics(result));
        }
        assertNotNull(result.plan());
    }

    /**
     * The diagnostics as {@code imm plan} prints them (without colour), with the stack's temporary
     * directory written as {@code shop/}, so that the text is the same on every machine.
     */
    String diagnostics(PlanResult result) {
        String text = new DiagnosticRenderer(result.sources()::get, false).render(result.diagnostics());
        return text.replace(stack.toAbsolutePath() + File.separator, STACK + "/").replace(stack + File.separator, STACK + "/");
    }

    boolean hasErrorDiagnostics(PlanResult result) {
        return result.diagnostics().stream().anyMatch(Diagnostic::isError);
    }

    // ---- changing the simulated cloud behind imm's back ----

    Path cloudFile() {
        return stack.resolve(".imm").resolve("sim").resolve("cloud.json");
    }

    /** Edits {@code .imm/sim/cloud.json}: the root object is given to {@code edit}, then written back. */
    void editCloud(Consumer<ObjectNode> edit) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(Files.readAllBytes(cloudFile()));
            edit.accept(root);
            DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
            Files.writeString(cloudFile(), JSON.writer(printer).writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fleet of this stack tagged {@code imm:fleet = address} ({@code web}, {@code worker["eu"]}) in cloud.json. */
    static ObjectNode cloudFleet(ObjectNode root, String address) {
        for (JsonNode fleet : root.path("fleets")) {
            if (address.equals(fleet.path("tags").path("imm:fleet").asText()) && STACK.equals(fleet.path("tags").path("imm:stack").asText())) {
                return (ObjectNode) fleet;
            }
        }
        throw new AssertionError("no fleet " + address + " in cloud.json");
    }

    /** Sets a fleet's desired count in the cloud, as scaling the Auto Scaling group by hand would. */
    void setLiveDesired(String fleet, int desired) {
        editCloud(root -> cloudFleet(root, fleet).put("desired", desired));
    }

    /** Removes a fleet from the cloud, as deleting its Auto Scaling group by hand would. */
    void deleteLiveFleet(String fleet) {
        editCloud(root -> {
            ArrayNode fleets = (ArrayNode) root.path("fleets");
            ObjectNode gone = cloudFleet(root, fleet);
            for (Iterator<JsonNode> it = fleets.elements(); it.hasNext(); ) {
                if (it.next() == gone) {
                    it.remove();
                }
            }
        });
    }

    // ---- the state repository ----

    /** Every file of the tree of HEAD in {@code .imm/state.git}, by path. */
    SortedMap<String, byte[]> stateFiles() {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Repository repo = new FileRepositoryBuilder().setGitDir(stack.resolve(".imm").resolve("state.git").toFile())
                .setMustExist(true).build()) {
            ObjectId tree = repo.resolve("HEAD^{tree}");
            assertNotNull(tree, name + ": the state repository has no HEAD");
            try (TreeWalk walk = new TreeWalk(repo)) {
                walk.addTree(tree);
                walk.setRecursive(true);
                while (walk.next()) {
                    files.put(walk.getPathString(), repo.open(walk.getObjectId(0)).getBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The commit id of HEAD in {@code .imm/state.git}, or null when the stack has no state yet. */
    String stateHead() {
        if (!Files.isDirectory(stack.resolve(".imm").resolve("state.git"))) {
            return null;
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(stack.resolve(".imm").resolve("state.git").toFile())
                .setMustExist(true).build()) {
            ObjectId head = repo.resolve("HEAD");
            return head == null ? null : head.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
