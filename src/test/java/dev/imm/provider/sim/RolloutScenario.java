package dev.imm.provider.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random stack for the rollout invariants, drawn from a seed: one image, one fleet of 1 to 12
 * instances, a rollout policy of any strategy with random bounds, timings and on_failure, and (in the
 * second version, which changes the image so that the fleet rolls) random faults. {@link #stack} writes
 * the version as .imm text, so a scenario is exactly what a user could write.
 */
record RolloutScenario(long seed, int desired, int min, int max, String strategy, int minHealthy, int maxHealthy,
                       String warmup, List<Integer> steps, String pause, String bakeTime, String verify, String drain,
                       String onFailure, boolean skipMatching, String grace, boolean unhealthy, Integer alarmAt,
                       boolean alarmWatched, Integer apiErrors, Integer instanceDies) {

    static RolloutScenario draw(long seed) {
        Random r = new Random(seed);
        int desired = 1 + r.nextInt(12);
        int min = r.nextInt(desired + 1);
        int max = desired + r.nextInt(desired + 1);
        String strategy = pick(r, "rolling", "rolling", "canary", "blue_green");
        int[] mins = {0, 25, 50, 75, 90, 100};
        int[] maxes = {100, 110, 125, 150, 200};
        int minHealthy = mins[r.nextInt(mins.length)];
        int maxHealthy = maxes[r.nextInt(maxes.length)];
        List<Integer> steps = new ArrayList<>();
        int at = 0;
        while (at < 100) {
            at = Math.min(100, at + 1 + r.nextInt(60));
            steps.add(r.nextInt(3) == 0 ? 100 : at);
            if (steps.get(steps.size() - 1) == 100) {
                break;
            }
        }
        String onFailure = strategy.equals("blue_green") ? pick(r, "rollback", "rollback", "continue")
                : pick(r, "rollback", "rollback", "pause", "continue");
        boolean faulty = r.nextInt(3) > 0;
        return new RolloutScenario(seed, desired, min, max, strategy, minHealthy, maxHealthy,
                pick(r, "0s", "30s", "1m", "2m", "5m"), steps, pick(r, "0s", "1m", "5m", "10m"), pick(r, "0s", "2m", "10m"),
                pick(r, "0s", "1m", "5m"), pick(r, "0s", "2m", "15m"), onFailure, r.nextBoolean(), pick(r, "0s", "30s", "90s", "5m"),
                faulty && r.nextInt(3) == 0, faulty && r.nextInt(3) == 0 ? r.nextInt(101) : null, r.nextBoolean(),
                faulty && r.nextInt(4) == 0 ? 1 + r.nextInt(20) : null, faulty && r.nextInt(4) == 0 ? 1 + r.nextInt(25) : null);
    }

    /** The same scenario with no fault: the rollout does exactly what its policy says. */
    RolloutScenario withoutFaults() {
        return new RolloutScenario(seed, desired, min, max, strategy, minHealthy, maxHealthy, warmup, steps, pause, bakeTime,
                verify, drain, onFailure, skipMatching, grace, false, null, alarmWatched, null, null);
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    /** The stack at {@code version} 1 (no faults) or 2 (a new image, and the faults). */
    String stack(int version) {
        StringBuilder s = new StringBuilder();
        if (version == 2 && (unhealthy || alarmAt != null || apiErrors != null || instanceDies != null)) {
            s.append("provider \"sim\" {\n");
            if (unhealthy) {
                s.append("  fault \"unhealthy\" {\n    image = image.app\n  }\n");
            }
            if (alarmAt != null) {
                s.append("  fault \"alarm\" {\n    name = \"errors\"\n    at   = ").append(alarmAt).append("%\n  }\n");
            }
            if (apiErrors != null) {
                s.append("  fault \"api_errors\" {\n    rate = ").append(apiErrors).append("%\n    seed = ").append(seed).append("\n  }\n");
            }
            if (instanceDies != null) {
                s.append("  fault \"instance_dies\" {\n    rate = ").append(instanceDies).append("%\n    seed = ").append(seed)
                        .append("\n  }\n");
            }
            s.append("}\n\n");
        }
        s.append("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n")
                .append("  provision \"shell\" { inline = [\"install app v").append(version).append("\"] }\n}\n\n");
        s.append("rollout \"policy\" {\n  strategy    = \"").append(strategy).append("\"\n");
        if (!strategy.equals("blue_green")) {
            s.append("  min_healthy = ").append(Math.min(minHealthy, maxHealthy)).append("%\n")
                    .append("  max_healthy = ").append(maxHealthy).append("%\n");
        }
        s.append("  warmup      = ").append(warmup).append('\n')
                .append("  on_failure  = \"").append(onFailure).append("\"\n")
                .append("  skip_matching = ").append(skipMatching).append('\n');
        if (alarmWatched) {
            s.append("  alarms      = [\"errors\"]\n");
        }
        if (strategy.equals("canary")) {
            s.append("  steps       = [").append(String.join(", ", steps.stream().map(p -> p + "%").toList())).append("]\n")
                    .append("  pause       = ").append(pause).append('\n')
                    .append("  bake_time   = ").append(bakeTime).append('\n');
        }
        if (strategy.equals("blue_green")) {
            s.append("  verify      = ").append(verify).append('\n').append("  drain       = ").append(drain).append('\n');
        }
        s.append("}\n\n");
        s.append("fleet \"web\" {\n  image         = image.app\n  instance_type = \"t3.small\"\n")
                .append("  min           = ").append(min).append('\n')
                .append("  max           = ").append(max).append('\n')
                .append("  desired       = ").append(desired).append('\n')
                .append("  rollout       = rollout.policy\n")
                .append("  health { type = \"ec2\"  grace = ").append(grace).append(" }\n}\n");
        return s.toString();
    }
}
