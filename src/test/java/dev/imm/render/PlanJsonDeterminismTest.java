package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.plan.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenario run twice, in two temporary directories, gives byte-identical plan JSON at every
 * step and byte-identical state: every file of the HEAD tree of {@code .imm/state.git} after every
 * apply, nothing excluded (stack.json with its lineage, resources, bake inputs, applies' plans and
 * journals). The scenario is the longest one (retire: three versions, a roll and a retirement), so that
 * every kind of file is there.
 */
class PlanJsonDeterminismTest {
    @TempDir
    Path first;

    @TempDir
    Path second;

    /** What one run produced, in order: each plan's JSON and, after each apply, the state files. */
    private record Run(List<String> plans, List<SortedMap<String, byte[]>> states) {
    }

    private static Run run(Path temp) {
        PlanScenario s = PlanScenario.start("retire", temp);
        Run run = new Run(new ArrayList<>(), new ArrayList<>());
        for (int step = 1; step <= 3; step++) {
            if (step > 1) {
                s.step(step);
            }
            Plan plan = s.plan();
            run.plans().add(PlanJsonRenderer.render(plan));
            s.apply();
            run.states().add(s.stateFiles());
        }
        return run;
    }

    @Test
    void twoRunsGiveTheSamePlanJsonAndTheSameStateFiles() {
        Run a = run(first);
        Run b = run(second);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < a.plans().size(); i++) {
            if (!a.plans().get(i).equals(b.plans().get(i))) {
                differences.add("plan " + (i + 1) + " JSON differs:\n" + firstDifference(a.plans().get(i), b.plans().get(i)));
            }
        }
        for (int i = 0; i < a.states().size(); i++) {
            SortedMap<String, byte[]> x = a.states().get(i);
            SortedMap<String, byte[]> y = b.states().get(i);
            TreeSet<String> paths = new TreeSet<>(x.keySet());
            paths.addAll(y.keySet());
            for (String path : paths) {
                if (!x.containsKey(path) || !y.containsKey(path)) {
                    differences.add("state after apply " + (i + 1) + ": " + path + " only in run " + (x.containsKey(path) ? 1 : 2));
                } else if (!java.util.Arrays.equals(x.get(path), y.get(path))) {
                    differences.add("state after apply " + (i + 1) + ": " + path + " differs:\n"
                            + firstDifference(new String(x.get(path), StandardCharsets.UTF_8), new String(y.get(path), StandardCharsets.UTF_8)));
                }
            }
        }
        assertTrue(a.states().get(2).keySet().stream().anyMatch(p -> p.startsWith("resources/image/")),
                "the state records the image: " + a.states().get(2).keySet());
        assertEquals(List.of(), differences);
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
