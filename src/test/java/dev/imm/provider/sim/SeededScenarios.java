package dev.imm.provider.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs seeded random scenarios ({@link RolloutScenario}) one after another, each in its own directory:
 * seeds 1 to {@code count} (or {@code -D<property>.count=N}), or only {@code -D<property>.seed=N}. It
 * prints how many ran and how they ended, and fails with the first scenario that broke something and
 * the command that runs it alone.
 */
final class SeededScenarios {
    /** One scenario: returns how it ended, or throws. */
    @FunctionalInterface
    interface Run {
        String run(RolloutScenario scenario, Path dir) throws Exception;
    }

    /** How the scenarios ended, outcome to count; {@code single} when only one seed was asked for. */
    record Outcomes(Map<String, Integer> counts, boolean single) {
        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private SeededScenarios() {
    }

    static Outcomes run(String testClass, String property, int defaultCount, Path dir, Run run) {
        String one = System.getProperty(property + ".seed");
        long first = one == null ? 1 : Long.parseLong(one);
        int count = one != null ? 1 : Integer.getInteger(property + ".count", defaultCount);
        Map<String, Integer> outcomes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (long seed = first; seed < first + count; seed++) {
            RolloutScenario scenario = RolloutScenario.draw(seed);
            try {
                outcomes.merge(run.run(scenario, dir.resolve("s" + seed)), 1, Integer::sum);
            } catch (AssertionError | Exception e) {
                failures.add("seed " + seed + ": " + e.getMessage() + "\n  reproduce: mvn test -Dtest=" + testClass + " -D"
                        + property + ".seed=" + seed + "\n" + scenario.stack(2));
            }
        }
        System.out.printf("%s: %d scenarios (seeds %d..%d) in %d ms; outcomes %s%n", testClass, count, first,
                first + count - 1, (System.nanoTime() - startNanos) / 1_000_000, outcomes);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + count + " scenarios failed; the first:\n" + failures.get(0));
        }
        return new Outcomes(outcomes, one != null);
    }
}
