package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.plan.Action;
import dev.imm.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same scenario run twice, in two temporary directories, gives byte-identical plan JSON at every
 * step and byte-identical state: every file of the HEAD tree of {@code .imm/state.git} after every
 * apply (stack.json with its lineage, resources, bake inputs, the applies' plans and journals). Commit
 * ids hold commit times, so they differ between runs; they are the one thing normalized: the
 * {@code state_revision} a plan was made against, and the apply ids (derived from the plan) in the
 * paths of {@code applies/}. Each step of the scenario is planned, then applied as {@code imm apply} does it. "retire"
 * has every kind of state file (three versions, a roll, a retirement); "for_each" has several fleets
 * that wait on one bake.
 */
class PlanJsonDeterminismTest {
    @TempDir
    Path first;

    @TempDir
    Path second;

    /** What one run produced, in order: each step's plan JSON and the state files after its apply. */
    private record Run(List<String> plans, List<SortedMap<String, byte[]>> states) {
    }

    private static Run run(String scenario, Path temp) throws IOException {
        PlanScenario s = PlanScenario.start(scenario, temp);
        Run run = new Run(new ArrayList<>(), new ArrayList<>());
        for (int step = 1; step <= steps(scenario); step++) {
            if (step > 1) {
                s.step(step);
            }
            Plan plan = s.plan();
            run.plans().add(withoutRevision(PlanJsonRenderer.render(plan)));
            s.apply();
            run.states().add(withNumberedApplies(s.stateFiles()));
        }
        return run;
    }

    private static String withoutRevision(String json) {
        return json.replaceAll("\"state_revision\" : \"[0-9a-f]+\"", "\"state_revision\" : \"<revision>\"");
    }

    /** applies/ID/FILE as applies/N/FILE, N counting applies in the order of their journals' first lines. */
    private static SortedMap<String, byte[]> withNumberedApplies(SortedMap<String, byte[]> files) {
        SortedMap<String, String> journalByApply = new java.util.TreeMap<>();
        files.forEach((path, bytes) -> {
            if (path.startsWith("applies/") && path.endsWith("/journal.txt")) {
                journalByApply.put(path.split("/")[1], new String(bytes, StandardCharsets.UTF_8));
            }
        });
        List<String> order = new ArrayList<>(journalByApply.keySet());
        order.sort(java.util.Comparator.comparing(journalByApply::get));
        SortedMap<String, byte[]> out = new java.util.TreeMap<>();
        files.forEach((path, bytes) -> {
            if (path.startsWith("applies/")) {
                String id = path.split("/")[1];
                String renamed = path.replace("applies/" + id + "/", "applies/" + order.indexOf(id) + "/");
                out.put(renamed, withoutRevision(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            } else {
                out.put(path, bytes);
            }
        });
        return out;
    }

    private static int steps(String scenario) throws IOException {
        try (Stream<Path> dirs = Files.list(PlanScenario.ROOT.resolve(scenario))) {
            return (int) dirs.filter(d -> d.getFileName().toString().startsWith("step")).count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"retire", "for_each"})
    void twoRunsGiveTheSamePlanJsonAndTheSameStateFiles(String scenario) throws IOException {
        Run a = run(scenario, first);
        Run b = run(scenario, second);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < a.plans().size(); i++) {
            if (!a.plans().get(i).equals(b.plans().get(i))) {
                differences.add("plan of step " + (i + 1) + " differs:\n" + firstDifference(a.plans().get(i), b.plans().get(i)));
            }
        }
        for (int i = 0; i < a.states().size(); i++) {
            SortedMap<String, byte[]> x = a.states().get(i);
            SortedMap<String, byte[]> y = b.states().get(i);
            TreeSet<String> paths = new TreeSet<>(x.keySet());
            paths.addAll(y.keySet());
            for (String path : paths) {
                if (!x.containsKey(path) || !y.containsKey(path)) {
                    differences.add("state after step " + (i + 1) + ": " + path + " only in run " + (x.containsKey(path) ? 1 : 2));
                } else if (!Arrays.equals(x.get(path), y.get(path))) {
                    differences.add("state after step " + (i + 1) + ": " + path + " differs:\n"
                            + firstDifference(new String(x.get(path), StandardCharsets.UTF_8), new String(y.get(path), StandardCharsets.UTF_8)));
                }
            }
        }
        SortedMap<String, byte[]> last = a.states().get(a.states().size() - 1);
        assertTrue(last.containsKey("stack.json") && last.keySet().stream().anyMatch(p -> p.startsWith("resources/fleet/"))
                && last.keySet().stream().anyMatch(p -> p.startsWith("bake-inputs/")), "the state has its files: " + last.keySet());
        assertTrue(differences.isEmpty(), differences.size() + " differences between two runs of " + scenario + ":\n"
                + String.join("\n", differences));
    }

    /**
     * Ids of the simulated cloud are drawn in the order of calls, and the executor is to run its steps one
     * at a time in plan order (docs/architecture.md, "The simulated cloud is sequential"), so the same
     * stack always gets the same ids. The journal of the apply says in which order the steps started.
     */
    @Test
    void stepsThatWaitOnTheSameBakeStartInPlanOrder() {
        PlanScenario s = PlanScenario.start("for_each", first);
        Plan plan = s.plan();
        s.apply();
        List<String> planned = plan.changes().stream().filter(c -> c.action() != Action.NO_OP)
                .map(c -> c.address().toString()).collect(Collectors.toList());
        List<String> journal = s.stateFiles().entrySet().stream().filter(e -> e.getKey().endsWith("/journal.txt"))
                .flatMap(e -> new String(e.getValue(), StandardCharsets.UTF_8).lines())
                .filter(line -> line.startsWith("started "))
                .map(line -> line.split(" ")[1]).collect(Collectors.toList());
        assertEquals(List.of("image.worker", "fleet.worker[\"eu\"]", "fleet.worker[\"us\"]"), planned);
        assertEquals(planned, journal, "the order the steps started in");
    }

    /** The first line that differs, from each run. */
    private static String firstDifference(String x, String y) {
        String[] xs = x.split("\n", -1);
        String[] ys = y.split("\n", -1);
        for (int i = 0; i < Math.max(xs.length, ys.length); i++) {
            String l1 = i < xs.length ? xs[i] : "(end)";
            String l2 = i < ys.length ? ys[i] : "(end)";
            if (!l1.equals(l2)) {
                return "  line " + (i + 1) + ", run 1: " + l1 + "\n  line " + (i + 1) + ", run 2: " + l2;
            }
        }
        return "  (same lines)";
    }
}
