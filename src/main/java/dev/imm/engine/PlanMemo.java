package dev.imm.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The output of an {@code imm plan} kept for the next identical one (docs/architecture.md, "Plans are
 * remembered"). An entry is found by the request (imm's build, the stack directory, the arguments, the
 * environment imm reads, the colour decision) and used only when everything the plan was made from is
 * byte for byte as it was:
 * <ul>
 *   <li>the stack: the names of the directory's {@code .imm} files, and the content of every source file it
 *       loaded (imports included), every file its expressions and steps read, every var file;</li>
 *   <li>the state: the state repository's {@code HEAD}, {@code packed-refs} and every ref (a commit moves one);</li>
 *   <li>the cloud: the simulated cloud's {@code cloud.json}, which holds its every instance, image and clock.</li>
 * </ul>
 * Only plans that depend on nothing else are kept: the simulated cloud without container registries
 * (which are read over the network), and state with no Git remote (which a plan fetches). An AWS plan
 * always reads AWS. Each input's SHA-256 is taken before the plan and again after it, and the entry is
 * kept only if none moved meanwhile. {@code IMM_NO_PLAN_MEMO=1} turns it off.
 */
public final class PlanMemo {
    private static final int FORMAT = 1;
    private static final int KEEP = 16;

    /** What the command printed, and its exit code. */
    public record Output(int exitCode, String out, String err) {
    }

    /**
     * The request, what it found on disk before the plan ({@link #keep} stores under it), and the output
     * kept for it if every input was as it is now.
     */
    public static final class Lookup {
        private final Path stack;
        private final String request;
        private final String state;
        private final String cloud;
        private final List<Path> varFiles;
        private Optional<Output> kept = Optional.empty();

        private Lookup(Path stack, String request, String state, String cloud, List<Path> varFiles) {
            this.stack = stack;
            this.request = request;
            this.state = state;
            this.cloud = cloud;
            this.varFiles = varFiles;
        }

        /** The remembered output, if it still holds. */
        public Optional<Output> kept() {
            return kept;
        }
    }

    private PlanMemo() {
    }

    /** Whether memos are used at all here ({@code IMM_NO_PLAN_MEMO} unset). */
    public static boolean enabled(Map<String, String> env) {
        return !"1".equals(env.get("IMM_NO_PLAN_MEMO"));
    }

    /**
     * The request of this run ({@code request}: build, arguments, environment, colour, as the caller
     * spells them), with what the state and cloud are now, and the output kept for it if every input is
     * as it was.
     */
    public static Lookup find(Path dir, String request, List<Path> varFiles) {
        Path stack = dir.toAbsolutePath().normalize();
        Stages.end("memo: start");
        String state = stateHash(stack);
        Stages.end("memo: state refs");
        String cloud = cloudHash(stack);
        Stages.end("memo: cloud hash");
        Lookup lookup = new Lookup(stack, request, state, cloud, varFiles);
        lookup.kept = read(lookup);
        Stages.end("memo: entry and inputs");
        return lookup;
    }

    private static Optional<Output> read(Lookup lookup) {
        Path file = entry(lookup.stack, lookup.request);
        if (lookup.state == null || lookup.cloud == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Entry e = Entry.parse(Files.readAllBytes(file));
            if (e == null || !e.fields.get("state").equals(lookup.state) || !e.fields.get("cloud").equals(lookup.cloud)
                    || !e.fields.get("stack_files").equals(encode(stackFiles(lookup.stack)))) {
                return Optional.empty();
            }
            for (Map.Entry<String, String> input : e.inputs.entrySet()) {
                if (!input.getValue().equals(fileHash(Path.of(input.getKey())))) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Output(Integer.parseInt(e.fields.get("exit")), e.out, e.err));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // a damaged entry is no entry: the plan is made again
        }
    }

    /**
     * An entry on disk: a header of {@code name value} lines ({@code input HASH PATH} for each input), an
     * empty line, then the output's bytes (lengths in the header). No JSON: a remembered plan is mostly
     * start-up, and a JSON library's is a good part of it.
     */
    private static final class Entry {
        final Map<String, String> fields = new TreeMap<>();
        final Map<String, String> inputs = new TreeMap<>();
        String out;
        String err;

        static byte[] write(Map<String, String> fields, Map<String, String> inputs, Output output) {
            StringBuilder head = new StringBuilder("imm-plan-memo ").append(FORMAT).append('\n');
            fields.forEach((k, v) -> head.append(k).append(' ').append(v).append('\n'));
            inputs.forEach((path, hash) -> head.append("input ").append(hash).append(' ').append(path).append('\n'));
            byte[] out = output.out().getBytes(StandardCharsets.UTF_8);
            byte[] err = output.err().getBytes(StandardCharsets.UTF_8);
            head.append("exit ").append(output.exitCode()).append('\n').append("out ").append(out.length).append('\n')
                    .append("err ").append(err.length).append("\n\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[h.length + out.length + err.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(out, 0, all, h.length, out.length);
            System.arraycopy(err, 0, all, h.length + out.length, err.length);
            return all;
        }

        /** The entry, or null when it is not one this version wrote. */
        static Entry parse(byte[] bytes) {
            int end = -1;
            for (int i = 0; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                return null;
            }
            String[] lines = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
            if (!lines[0].equals("imm-plan-memo " + FORMAT)) {
                return null;
            }
            Entry e = new Entry();
            for (int i = 1; i < lines.length; i++) {
                int space = lines[i].indexOf(' ');
                String name = lines[i].substring(0, space);
                String value = lines[i].substring(space + 1);
                if (name.equals("input")) {
                    int second = value.indexOf(' ');
                    e.inputs.put(value.substring(second + 1), value.substring(0, second));
                } else {
                    e.fields.put(name, value);
                }
            }
            int outLength = Integer.parseInt(e.fields.get("out"));
            int errLength = Integer.parseInt(e.fields.get("err"));
            if (end + 2 + outLength + errLength != bytes.length) {
                return null;
            }
            e.out = new String(bytes, end + 2, outLength, StandardCharsets.UTF_8);
            e.err = new String(bytes, end + 2 + outLength, errLength, StandardCharsets.UTF_8);
            return e;
        }
    }

    /** A value for one header line. */
    private static String encode(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Keeps {@code output} for the lookup's request if the plan depends only on what is hashed, and
     * nothing hashed moved while it was made.
     */
    public static void keep(Lookup lookup, PreparedPlan prepared, Output output) {
        Planner planner = prepared.planner;
        if (lookup.state == null || lookup.cloud == null || planner.provider == null || planner.evaluation == null
                || !(planner.provider instanceof dev.imm.provider.sim.SimProvider)
                || planner.evaluation.desired().state().remote() != null
                || planner.evaluation.desired().images().values().stream().anyMatch(i -> i.isContainer())
                || planner.evaluation.values().values().stream().anyMatch(v -> v instanceof dev.imm.value.Value.Sensitive)) {
            // (a stack with sensitive values is never kept: not even a hash of a request that holds one lands on disk)
            return;
        }
        Map<String, String> inputs = new TreeMap<>();
        List<dev.imm.diag.SourceFile> sources = planner.sources.all().stream().filter(s -> !isStandard(s.path())).toList();
        sources.forEach(source -> inputs.put(absolute(source.path()), ""));
        planner.evaluation.filesRead().forEach(path -> inputs.put(path, ""));
        lookup.varFiles.forEach(path -> inputs.put(path.toAbsolutePath().normalize().toString(), ""));
        for (Map.Entry<String, String> input : inputs.entrySet()) {
            String hash = fileHash(Path.of(input.getKey()));
            if (hash == null || hash.equals("dir:")) {
                return; // a directory (a container's layer) or a file that is gone: not kept
            }
            input.setValue(hash);
        }
        // the sources as parsed must be what is on disk now
        for (dev.imm.diag.SourceFile source : sources) {
            if (!sha256(source.text().getBytes(StandardCharsets.UTF_8)).equals(inputs.get(absolute(source.path())))) {
                return;
            }
        }
        if (!lookup.state.equals(stateHash(lookup.stack)) || !lookup.cloud.equals(cloudHash(lookup.stack))) {
            return; // the state or the cloud moved while the plan was made
        }
        if (inputs.keySet().stream().anyMatch(p -> p.indexOf('\n') >= 0)) {
            return;
        }
        Map<String, String> fields = new TreeMap<>();
        fields.put("state", lookup.state);
        fields.put("cloud", lookup.cloud);
        fields.put("stack_files", encode(stackFiles(lookup.stack)));
        try {
            Path file = entry(lookup.stack, lookup.request);
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), "entry-", ".tmp");
            Files.write(temp, Entry.write(fields, inputs, output));
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            prune(file.getParent());
        } catch (IOException | UnsupportedOperationException notKept) {
            // a memo that cannot be written only costs the next plan its time
        }
    }

    /** A module of the standard library ({@code std/rollouts.imm}): part of imm's build, not of the disk. */
    private static boolean isStandard(String path) {
        return path.startsWith("std/") && !Files.exists(Path.of(path));
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static Path entry(Path stack, String request) {
        return stack.resolve(".imm/cache/plan").resolve(sha256(request.getBytes(StandardCharsets.UTF_8)) + ".memo");
    }

    /** The newest {@value #KEEP} entries stay. */
    private static void prune(Path dir) throws IOException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = new ArrayList<>(list.filter(p -> p.toString().endsWith(".memo")).toList());
        }
        if (entries.size() <= KEEP) {
            return;
        }
        entries.sort((a, b) -> a.toFile().lastModified() != b.toFile().lastModified()
                ? Long.compare(b.toFile().lastModified(), a.toFile().lastModified()) : a.compareTo(b));
        for (Path old : entries.subList(KEEP, entries.size())) {
            Files.deleteIfExists(old);
        }
    }

    /** The names of the stack directory's .imm files: a new or removed file changes the stack. */
    private static String stackFiles(Path stack) {
        try (Stream<Path> list = Files.list(stack)) {
            return String.join("\n", list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".imm")).sorted().toList());
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    /** The state repository's refs, hashed: null when there is no local repository. */
    private static String stateHash(Path stack) {
        Path git = stack.resolve(".imm/state.git");
        if (!Files.isDirectory(git)) {
            return "(no state)";
        }
        MessageDigest digest = digest();
        try (Stream<Path> refs = Files.walk(git.resolve("refs"))) {
            List<Path> files = new ArrayList<>(refs.filter(Files::isRegularFile).sorted().toList());
            files.add(0, git.resolve("HEAD"));
            if (Files.isRegularFile(git.resolve("packed-refs"))) {
                files.add(git.resolve("packed-refs"));
            }
            for (Path f : files) {
                digest.update(git.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.readAllBytes(f));
                digest.update((byte) 0);
            }
        } catch (IOException e) {
            return null;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The simulated cloud's file, hashed ("(none)" when it has none yet). */
    private static String cloudHash(Path stack) {
        Path cloud = stack.resolve(".imm/sim/cloud.json");
        if (!Files.exists(cloud)) {
            return "(none)";
        }
        return fileHash(cloud);
    }

    /** The SHA-256 of a file, {@code dir:} for a directory, {@code missing} when there is none, null when unreadable. */
    private static String fileHash(Path file) {
        try {
            if (Files.isDirectory(file)) {
                return "dir:";
            }
            if (!Files.exists(file)) {
                return "missing";
            }
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
