package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.state.HistoryEntry;
import dev.imm.state.Revision;
import dev.imm.state.git.GitStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appliers racing on one state, each with a different change (it scales its own fleet): as threads of one
 * process and as processes, on a local state and on clones of a Git remote (a bare repository on disk).
 * Every run either applies and records, or stops having changed nothing, saying that another apply holds
 * the lock, changed the state first or won the push. Afterwards there is no lost update: each apply that
 * succeeded was planned at the revision the apply before it left (read from the plan it recorded), and
 * the state equals the cloud.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ConcurrentApplyTest {
    private static final int FLEETS = 6;
    private static final List<String> REFUSALS = List.of("the state is locked",
            "another apply changed the state since this plan was made", "the cloud changed since this plan was made",
            "another apply updated the remote state");

    @TempDir
    Path temp;

    private static String stack() {
        StringBuilder s = new StringBuilder("variable \"scaled\" {\n  type    = string\n  default = \"\"\n}\n\n")
                .append("image \"app\" {\n  source { id = \"ami-0123456789abcdef0\" }\n")
                .append("  provision \"shell\" { inline = [\"install app\"] }\n}\n");
        for (int i = 0; i < FLEETS; i++) {
            s.append("\nfleet \"f").append(i).append("\" {\n  image         = image.app\n  instance_type = \"t3.small\"\n")
                    .append("  min           = 1\n  max           = 6\n  desired       = var.scaled == \"f").append(i)
                    .append("\" ? 3 : 2\n}\n");
        }
        return s.toString();
    }

    private record Run(int exitCode, String output) {
    }

    @Test
    void threadsAndProcessesOnALocalState() throws Exception {
        Path dir = temp.resolve("local").resolve("stack");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.imm"), stack());
        assertEquals(ExitCode.OK, CliRun.of("apply", dir.toString(), "--auto-approve").exitCode());

        for (int r = 0; r < 3; r++) {
            int round = r;
            List<Run> runs = race(FLEETS, i -> i % 2 == 0 ? inProcess(dir, i, round) : process(dir, i, round));
            check(runs, dir, dir);
        }
    }

    @Test
    void processesOnClonesOfAGitRemote() throws Exception {
        Path remote = temp.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
        String settings = "state {\n  git = \"" + remote.toUri() + "\"\n}\n\n";
        List<Path> clones = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path dir = temp.resolve("clone" + i).resolve("stack");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("main.imm"), settings + stack());
            clones.add(dir);
        }
        // the first apply creates the fleets; each clone's simulated cloud then starts from that one's
        assertEquals(ExitCode.OK, CliRun.of("apply", clones.get(0).toString(), "--auto-approve").exitCode());
        for (Path clone : clones.subList(1, clones.size())) {
            copyCloud(clones.get(0), clone);
        }
        List<Run> runs = race(clones.size(), i -> process(clones.get(i), i, 0));
        // the clone that pushed last has the remote's head as its own, and its cloud is the one the state tells
        Path last = null;
        String remoteHead;
        try (GitStateStore bare = new GitStateStore(remote, "main", null)) {
            remoteHead = bare.head().orElseThrow().id();
        }
        for (int i = 0; i < clones.size(); i++) {
            try (GitStateStore local = new GitStateStore(clones.get(i).resolve(".imm/state.git"), "main", null)) {
                if (runs.get(i).exitCode() == ExitCode.OK && local.head().map(Revision::id).orElse("").equals(remoteHead)) {
                    last = clones.get(i);
                }
            }
        }
        assertTrue(last != null, "the last push is one clone's: " + runs);
        check(runs, last, remote);
    }

    private static void copyCloud(Path from, Path to) throws Exception {
        Path cloud = to.resolve(".imm/sim");
        Files.createDirectories(cloud);
        Files.copy(from.resolve(".imm/sim/cloud.json"), cloud.resolve("cloud.json"));
    }

    @FunctionalInterface
    private interface Applier {
        Run apply(int index) throws Exception;
    }

    /** Starts {@code n} appliers at once and waits for all. */
    private static List<Run> race(int n, Applier applier) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Run>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return applier.apply(index);
                }));
            }
            start.countDown();
            List<Run> runs = new ArrayList<>();
            for (Future<Run> f : futures) {
                runs.add(f.get(180, TimeUnit.SECONDS));
            }
            return runs;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Applier {@code i} scales its own fleet; every other one waits for the lock for a while. */
    private static String[] arguments(Path dir, int i, int round) {
        List<String> args = new ArrayList<>(List.of("apply", dir.toString(), "--auto-approve", "--no-color",
                "-var", "scaled=f" + ((i + round) % FLEETS)));
        if (i % 3 != 0) {
            args.addAll(List.of("--lock-timeout", "60s"));
        }
        return args.toArray(new String[0]);
    }

    private static Run inProcess(Path dir, int i, int round) {
        CliRun run = CliRun.of(arguments(dir, i, round));
        return new Run(run.exitCode(), run.out() + run.err());
    }

    private static Run process(Path dir, int i, int round) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.imm.cli.Main"));
        Collections.addAll(command, arguments(dir, i, round));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), output);
        return new Run(p.exitValue(), output);
    }

    /**
     * Every run applied or was refused with a clear message; every apply recorded in {@code repository}
     * was planned at the revision the one before it left; {@code dir}'s state equals its cloud.
     */
    private static void check(List<Run> runs, Path dir, Path repository) throws Exception {
        for (Run run : runs) {
            if (run.exitCode() != ExitCode.OK) {
                assertTrue(REFUSALS.stream().anyMatch(run.output()::contains), "a clear refusal:\n" + run.output());
                assertTrue(!run.output().contains("Exception") && !run.output().contains("\tat "), run.output());
            }
        }
        long applied = runs.stream().filter(r -> r.exitCode() == ExitCode.OK).count();
        assertTrue(applied >= 1, "one apply wins: " + runs);
        java.util.Map<String, Long> refused = new java.util.TreeMap<>();
        runs.stream().filter(r -> r.exitCode() != ExitCode.OK).forEach(r -> refused.merge(
                REFUSALS.stream().filter(r.output()::contains).findFirst().orElseThrow(), 1L, Long::sum));
        System.out.println("ConcurrentApplyTest: " + runs.size() + " appliers, " + applied + " applied, refused: " + refused);

        Path git = repository.toString().endsWith(".git") ? repository : repository.resolve(".imm/state.git");
        try (GitStateStore store = new GitStateStore(git, "main", null)) {
            List<HistoryEntry> history = new ArrayList<>(store.history(Optional.empty(), 0));
            Collections.reverse(history); // oldest first
            String lastApply = null;
            Revision endOfLast = null;
            int applies = 0;
            for (HistoryEntry entry : history) {
                String apply = entry.trailers().get("Imm-Apply");
                if (apply != null && !apply.equals(lastApply)) {
                    // the first commit of an apply: its plan must have been made where the last apply ended
                    String planned = store.readFile(lastCommitOf(history, apply), "applies/" + apply + "/plan.json")
                            .map(ConcurrentApplyTest::stateRevision).orElse(null);
                    assertEquals(endOfLast == null ? null : endOfLast.id(), planned,
                            "apply " + apply + " was planned at the revision the apply before it left");
                    applies++;
                }
                lastApply = apply;
                endOfLast = entry.revision();
            }
            assertTrue(applies >= applied, applies + " applies recorded, " + applied + " succeeded");
        }
        CliRun drift = CliRun.of("drift", dir.toString(), "--no-color");
        assertEquals(ExitCode.OK, drift.exitCode(), "the state equals the cloud:\n" + drift.out() + drift.err());
    }

    private static Revision lastCommitOf(List<HistoryEntry> oldestFirst, String apply) {
        Revision last = null;
        for (HistoryEntry e : oldestFirst) {
            if (apply.equals(e.trailers().get("Imm-Apply"))) {
                last = e.revision();
            }
        }
        return last;
    }

    private static String stateRevision(String planJson) {
        try {
            var node = new ObjectMapper().readTree(planJson).path("state_revision");
            return node.isNull() || node.isMissingNode() ? null : node.asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
