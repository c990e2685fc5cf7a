package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.state.FleetRecord;
import dev.imm.state.ImageRecord;
import dev.imm.state.ImageVersion;
import dev.imm.state.RecordedState;
import dev.imm.state.git.GitStateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code imm apply} process halted ({@code IMM_CRASH_AT}, as {@code kill -9} would) at seeded
 * random points of an apply that does everything at once: two bakes, three fleets created, two updated
 * in place, three rolled (rolling, canary, blue/green), one destroyed, an image version retired, and
 * every state commit between them. After each halt: {@code unlock}, {@code apply}, then the plan has no
 * changes, the cloud holds nothing the state does not know, no builder and no creation is left under
 * way, and the history shows the halted apply as {@code interrupted}. Every fifth halt is recovered with
 * the stack changed again, so what was under way is turned back or thrown away, not carried on.
 *
 * <p>Rerun one point: {@code mvn test -Dtest=KillAnywhereTest -Dimm.kill.point=N}.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class KillAnywhereTest {
    private static final List<String> KINDS = List.of("bake", "create", "update", "roll", "destroy", "retire", "commit");
    private static final int PER_KIND = 8;
    private static final int AT_LEAST = 50;

    @TempDir
    Path temp;

    /** Version 1 and 2 are applied before; 3 is the apply halted; 4 changes the stack again. */
    private static String stack(int version) {
        StringBuilder s = new StringBuilder();
        s.append(image("app", "install app v" + Math.min(version, 3) + (version == 4 ? " patched" : ""), 2));
        s.append(image("tools", "install tools", 2));
        if (version >= 3) {
            s.append(image("cache", "install cache", 2));
        }
        s.append("rollout \"rolling\" {\n  strategy = \"rolling\"\n  min_healthy = 50%\n  max_healthy = 125%\n  warmup = 1m\n}\n\n");
        s.append("rollout \"canary\" {\n  strategy = \"canary\"\n  steps = [25%, 100%]\n  pause = 5m\n  min_healthy = 75%\n"
                + "  max_healthy = 100%\n}\n\n");
        s.append("rollout \"bg\" {\n  strategy = \"blue_green\"\n  verify = 2m\n  drain = 5m\n}\n\n");
        s.append(fleet("api", "app", "rolling", 4));
        s.append(fleet("web", "app", "canary", 4));
        s.append(fleet("admin", "app", "bg", 2));
        for (int n = 0; n < 2; n++) {
            s.append(fleet("worker" + n, "tools", null, version >= 3 ? 3 : 2));
        }
        if (version < 3) {
            s.append(fleet("batch", "tools", null, 2));
        } else {
            for (int n = 0; n < 3; n++) {
                s.append(fleet("extra" + n, "cache", null, 2));
            }
        }
        return s.toString();
    }

    private static String image(String name, String line, int keep) {
        return "image \"" + name + "\" {\n  source { id = \"ami-0123456789abcdef0\" }\n  keep = " + keep + "\n"
                + "  provision \"shell\" { inline = [\"" + line + "\"] }\n}\n\n";
    }

    private static String fleet(String name, String image, String rollout, int desired) {
        return "fleet \"" + name + "\" {\n  image = image." + image + "\n  instance_type = \"t3.small\"\n  min = 1\n  max = 8\n"
                + "  desired = " + desired + "\n" + (rollout == null ? "" : "  rollout = rollout." + rollout + "\n")
                + "  target_groups = [\"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/" + name + "/1\"]\n}\n\n";
    }

    /** A stack applied twice (versions 1 and 2), and every point the apply of version 3 passes, in order. */
    private Map<Integer, String> prepare(Path base) throws Exception {
        Files.createDirectories(base);
        Files.writeString(base.resolve("main.imm"), stack(1));
        assertEquals(ExitCode.OK, CliRun.of("apply", base.toString(), "--auto-approve").exitCode());
        Files.writeString(base.resolve("main.imm"), stack(2));
        assertEquals(ExitCode.OK, CliRun.of("apply", base.toString(), "--auto-approve").exitCode());

        // every point of the apply, in order, from one run that is not halted
        Path counted = copy(base, temp.resolve("counted").resolve("stack"));
        Files.writeString(counted.resolve("main.imm"), stack(3));
        Path log = temp.resolve("points.txt");
        Halted whole = applyProcess(counted, Map.of("IMM_CRASH_LOG", log.toString()));
        assertEquals(0, whole.exitCode(), whole.output());
        Map<Integer, String> points = new TreeMap<>();
        for (String line : Files.readAllLines(log)) {
            String[] parts = line.split("\t", 2);
            points.put(Integer.parseInt(parts[0]), parts[1]);
        }
        for (String kind : KINDS) {
            assertTrue(points.values().stream().anyMatch(p -> p.startsWith(kind + " ")), "the apply passes a " + kind + " point: " + points);
        }
        return points;
    }

    @Test
    void anApplyHaltedAtAnyPointIsFinishedByTheNextOne() throws Exception {
        Path base = temp.resolve("original").resolve("stack");
        Map<Integer, String> points = prepare(base);
        assertTrue(points.size() >= AT_LEAST, "the apply passes " + points.size() + " points");
        List<Integer> chosen = chosen(points);
        for (int point : chosen) {
            haltAndRecover(base, point, points);
        }
        Map<String, Integer> byKind = new TreeMap<>();
        chosen.forEach(n -> byKind.merge(points.get(n).substring(0, points.get(n).indexOf(' ')), 1, Integer::sum));
        System.out.println("KillAnywhereTest: halted and recovered at " + chosen.size() + " of " + points.size() + " points: " + byKind);
    }

    @Test
    void aBakeHaltedThenNotWantedHasItsBuilderTerminated() throws Exception {
        Path base = temp.resolve("original").resolve("stack");
        Map<Integer, String> points = prepare(base);
        int point = points.entrySet().stream().filter(e -> e.getValue().startsWith("bake image.cache: step")).findFirst()
                .orElseThrow().getKey();
        Path dir = copy(base, temp.resolve("stale").resolve("stack"));
        Files.writeString(dir.resolve("main.imm"), stack(3));
        assertEquals(137, applyProcess(dir, Map.of("IMM_CRASH_AT", String.valueOf(point))).exitCode());
        assertEquals(ExitCode.OK, CliRun.of("unlock", dir.toString(), "--force").exitCode());
        assertFalse(new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(".imm/sim/cloud.json"))).path("bakes").isEmpty());

        // back to version 2: image.cache is gone from the stack, so its bake under way is not carried on
        Files.writeString(dir.resolve("main.imm"), stack(2));
        CliRun plan = CliRun.of("plan", dir.toString(), "--no-color");
        assertTrue(plan.out().contains("stale-bake i-"), plan.out());
        CliRun apply = CliRun.of("apply", dir.toString(), "--auto-approve", "--no-color");
        assertEquals(ExitCode.OK, apply.exitCode(), apply.out() + apply.err());
        assertTrue(apply.out().contains("terminated builder i-"), apply.out());
        assertTrue(new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(".imm/sim/cloud.json"))).path("bakes").isEmpty());
        assertEquals(ExitCode.OK, CliRun.of("plan", dir.toString(), "--detailed-exitcode").exitCode());
    }

    /** At least {@value #AT_LEAST} points, up to {@value #PER_KIND} of each kind, seeded. */
    private static List<Integer> chosen(Map<Integer, String> points) {
        String one = System.getProperty("imm.kill.point");
        if (one != null && !one.isBlank()) {
            return List.of(Integer.parseInt(one.trim()));
        }
        Random random = new Random(14);
        Set<Integer> chosen = new TreeSet<>();
        for (String kind : KINDS) {
            List<Integer> ofKind = new ArrayList<>(points.keySet().stream().filter(n -> points.get(n).startsWith(kind + " ")).toList());
            java.util.Collections.shuffle(ofKind, random);
            chosen.addAll(ofKind.subList(0, Math.min(PER_KIND, ofKind.size())));
        }
        List<Integer> all = new ArrayList<>(points.keySet());
        while (chosen.size() < Math.min(AT_LEAST, all.size())) {
            chosen.add(all.get(random.nextInt(all.size())));
        }
        return List.copyOf(chosen);
    }

    private void haltAndRecover(Path base, int point, Map<Integer, String> points) throws Exception {
        String where = "halted at point " + point + " (" + points.get(point) + "; rerun with -Dimm.kill.point=" + point + ")";
        Path dir = copy(base, temp.resolve("halt" + point).resolve("stack"));
        Files.writeString(dir.resolve("main.imm"), stack(3));
        Halted halted = applyProcess(dir, Map.of("IMM_CRASH_AT", String.valueOf(point)));
        assertEquals(137, halted.exitCode(), where + "\n" + halted.output());
        assertTrue(halted.output().contains("halting at crash point " + point + ", "), where + "\n" + halted.output());

        assertEquals(ExitCode.OK, CliRun.of("unlock", dir.toString(), "--force").exitCode(), where);
        // the apply shows as interrupted once it committed anything, unless it was halted after its last commit
        boolean committed = points.entrySet().stream().anyMatch(e -> e.getKey() <= point && e.getValue().startsWith("commit "));
        boolean interrupted = committed && point < points.size();
        if (interrupted) {
            CliRun history = CliRun.of("history", dir.toString(), "--no-color");
            assertTrue(history.out().lines().findFirst().orElse("").contains("interrupted"), where + "\n" + history.out());
        }

        boolean changedAgain = point % 5 == 0;
        if (changedAgain) {
            Files.writeString(dir.resolve("main.imm"), stack(4));
        }
        CliRun again = CliRun.of("apply", dir.toString(), "--auto-approve", "--no-color");
        assertEquals(ExitCode.OK, again.exitCode(), where + "\n" + again.out() + again.err());
        CliRun plan = CliRun.of("plan", dir.toString(), "--detailed-exitcode", "--no-color");
        assertEquals(ExitCode.OK, plan.exitCode(), where + ", then applied:\n" + again.out() + "\nplan:\n" + plan.out());

        JsonNode cloud = new ObjectMapper().readTree(Files.readAllBytes(dir.resolve(".imm/sim/cloud.json")));
        assertTrue(cloud.path("bakes").isEmpty(), where + ": a builder is left: " + cloud.path("bakes"));
        RecordedState state;
        try (GitStateStore store = new GitStateStore(dir.resolve(".imm/state.git"), "main", null)) {
            state = store.read(store.head().orElseThrow());
        }
        Set<String> knownImages = new HashSet<>();
        for (ImageRecord image : state.images().values()) {
            image.versions().stream().map(ImageVersion::imageId).forEach(knownImages::add);
        }
        for (JsonNode image : cloud.path("images")) {
            if (image.path("state").asText().equals("available")) {
                assertTrue(knownImages.contains(image.path("id").asText()), where + ": image " + image.path("id") + " is not in the state");
            }
        }
        Set<String> knownFleets = new HashSet<>();
        state.fleets().values().stream().map(FleetRecord::fleetId).forEach(knownFleets::add);
        for (JsonNode fleet : cloud.path("fleets")) {
            assertFalse(fleet.path("creating").asBoolean(), where + ": a creation is left under way");
            assertTrue(knownFleets.contains(fleet.path("id").asText()), where + ": fleet " + fleet.path("id") + " is not in the state");
        }
        for (JsonNode refresh : cloud.path("refreshes")) {
            assertFalse(refresh.path("status").asText().equals("in-progress"), where + ": a roll is left under way");
        }
        if (interrupted) {
            List<String> statuses = CliRun.of("history", dir.toString(), "--json").out().lines()
                    .filter(l -> l.contains("\"status\"")).toList();
            // the halted apply, whether or not the next one had anything left to commit
            assertEquals(1, statuses.stream().filter(l -> l.contains("\"interrupted\"")).count(), where + "\n" + statuses);
            assertTrue(statuses.stream().noneMatch(l -> l.contains("\"in-progress\"")), where + "\n" + statuses);
        }
    }

    private record Halted(int exitCode, String output) {
    }

    private static Halted applyProcess(Path dir, Map<String, String> env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main",
                "apply", dir.toString(), "--auto-approve", "--no-color").redirectErrorStream(true);
        builder.environment().putAll(env);
        Process apply = builder.start();
        String output = new String(apply.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(apply.waitFor(120, TimeUnit.SECONDS), output);
        return new Halted(apply.exitValue(), output);
    }

    /** A copy of a stack's directory; its name stays, since the stack is named after it. */
    private static Path copy(Path from, Path to) throws IOException {
        Map<Path, Path> pairs = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.forEach(p -> pairs.put(p, to.resolve(from.relativize(p).toString())));
        }
        for (Map.Entry<Path, Path> e : pairs.entrySet()) {
            if (Files.isDirectory(e.getKey())) {
                Files.createDirectories(e.getValue());
            } else {
                Files.copy(e.getKey(), e.getValue());
            }
        }
        return to;
    }
}
