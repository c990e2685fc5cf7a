package dev.imm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.testing.TestStacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan remembered (engine.PlanMemo) is given again only while everything it was made from is as it
 * was. Each test makes a plan, marks the kept output (so that a remembered answer can be told from a
 * fresh one), checks that the same plan again gives the marked output, changes one input, and checks
 * that the plan is made afresh: the stack's files, a new file, a file a step reads, a var file, a -var,
 * an IMM_VAR_ variable, the colour, the state's commit and the cloud.
 */
class PlanMemoTest {
    private static final String MARK = "REMEMBERED!";

    @TempDir
    Path temp;

    private Path stack;

    @BeforeEach
    void applied() {
        stack = TestStacks.copyExample("quickstart", temp, "web");
        CliRun apply = CliRun.of("apply", stack.toString(), "--auto-approve");
        assertEquals(ExitCode.OK, apply.exitCode(), apply.err());
    }

    private CliRun plan(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "plan";
        all[1] = stack.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.withEnv(env, all);
    }

    /** Replaces the kept output's first {@code text} by {@link #MARK} (as long), so a remembered plan shows it. */
    private void mark(String text) throws IOException {
        assertEquals(MARK.length(), text.length());
        List<Path> entries;
        try (Stream<Path> list = Files.list(stack.resolve(".imm/cache/plan"))) {
            entries = list.toList();
        }
        boolean marked = false;
        for (Path entry : entries) {
            String content = Files.readString(entry, StandardCharsets.UTF_8);
            if (content.contains(text)) {
                Files.writeString(entry, content.replaceFirst(java.util.regex.Pattern.quote(text), MARK));
                marked = true;
            }
        }
        assertTrue(marked, "a kept plan holds " + text);
    }

    /** The plan is remembered as it is now, then {@code change} makes it be made afresh. */
    private void invalidatedBy(Map<String, String> envBefore, Map<String, String> envAfter, String[] argsBefore, String[] argsAfter,
                               String text, IoAction change) throws IOException {
        forget();
        CliRun first = plan(envBefore, argsBefore);
        assertFalse(first.out().contains(MARK));
        mark(text);
        CliRun again = plan(envBefore, argsBefore);
        assertTrue(again.out().contains(MARK), "the same plan again is the remembered one: " + again.out());
        assertEquals(first.exitCode(), again.exitCode());
        change.run();
        CliRun after = plan(envAfter, argsAfter);
        assertFalse(after.out().contains(MARK), "made afresh after the change: " + after.out());
    }

    /** No plan remembered: each case starts from a fresh one. */
    private void forget() throws IOException {
        Path cache = stack.resolve(".imm/cache");
        if (Files.exists(cache)) {
            try (Stream<Path> walk = Files.walk(cache)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private void invalidatedBy(String text, IoAction change) throws IOException {
        invalidatedBy(Map.of(), Map.of(), new String[0], new String[0], text, change);
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }

    @Test
    void aRememberedPlanIsTheSameBytesAsAFreshOne() {
        CliRun fresh = plan(Map.of("IMM_NO_PLAN_MEMO", "1"), "--format", "json");
        CliRun first = plan(Map.of(), "--format", "json");
        CliRun remembered = plan(Map.of(), "--format", "json");
        assertEquals(fresh.out(), first.out());
        assertEquals(first.out(), remembered.out());
        assertEquals(first.err(), remembered.err());
        assertEquals(first.exitCode(), remembered.exitCode());
    }

    @Test
    void aChangedStackFile() throws IOException {
        invalidatedBy("No changes.", () -> Files.writeString(stack.resolve("main.imm"),
                Files.readString(stack.resolve("main.imm")) + "\n# a comment changes no plan, but it is a change\n"));
    }

    @Test
    void aNewStackFile() throws IOException {
        invalidatedBy("No changes.", () -> Files.writeString(stack.resolve("more.imm"), "# nothing yet\n"));
    }

    @Test
    void aFileThatAStepReads() throws IOException {
        invalidatedBy("No changes.", () -> Files.writeString(stack.resolve("scripts/install.sh"),
                Files.readString(stack.resolve("scripts/install.sh")) + "\necho changed\n"));
        assertTrue(plan(Map.of()).out().contains("will be baked"));
    }

    @Test
    void aVarFileAVarAndAnEnvironmentVariable() throws IOException {
        Files.writeString(stack.resolve("main.imm"), Files.readString(stack.resolve("main.imm"))
                + "\nvariable \"note\" {\n  type    = string\n  default = \"a\"\n}\noutput \"note\" {\n  value = var.note\n}\n");
        Path vars = temp.resolve("vars.json");
        Files.writeString(vars, "{\"note\": \"b\"}\n");
        String[] withFile = {"-var-file", vars.toString()};
        invalidatedBy(Map.of(), Map.of(), withFile, withFile, "No changes.", () -> Files.writeString(vars, "{\"note\": \"c\"}\n"));
        invalidatedBy(Map.of(), Map.of(), new String[] {"-var", "note=x"}, new String[] {"-var", "note=y"}, "No changes.", () -> { });
        invalidatedBy(Map.of("IMM_VAR_note", "x"), Map.of("IMM_VAR_note", "y"), new String[0], new String[0], "No changes.", () -> { });
    }

    @Test
    void theColourAndTheArguments() throws IOException {
        invalidatedBy(Map.of(), Map.of(), new String[0], new String[] {"--no-color"}, "No changes.", () -> { });
        invalidatedBy(Map.of(), Map.of(), new String[0], new String[] {"--refresh=false"}, "No changes.", () -> { });
    }

    @Test
    void aNewStateCommit() throws IOException {
        String[] json = {"--format", "json"};
        invalidatedBy(Map.of(), Map.of(), json, json, "\"has_change", () -> {
            // a commit with the same tree: only the state's revision moves
            try (Repository repo = new FileRepositoryBuilder().setGitDir(stack.resolve(".imm/state.git").toFile()).build();
                 RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                String branch = repo.getFullBranch();
                RevCommit head = walk.parseCommit(repo.resolve(branch));
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(head.getTree());
                commit.setParentId(head);
                commit.setAuthor(new PersonIdent("test", "test@imm"));
                commit.setCommitter(new PersonIdent("test", "test@imm"));
                commit.setMessage("an empty commit\n");
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                RefUpdate update = repo.updateRef(branch);
                update.setNewObjectId(id);
                update.setExpectedOldObjectId(head);
                assertEquals(RefUpdate.Result.FAST_FORWARD, update.update());
            }
        });
    }

    @Test
    void aChangeInTheCloud() throws IOException {
        invalidatedBy("No changes.", () -> {
            Path cloud = stack.resolve(".imm/sim/cloud.json");
            String text = Files.readString(cloud);
            assertTrue(text.contains("\"desired\" : 4,"));
            Files.writeString(cloud, text.replaceFirst("\"desired\" : 4,", "\"desired\" : 3,"));
        });
        assertTrue(plan(Map.of()).out().contains("drift"), "the fleet's size changed outside imm");
    }

    @Test
    void plansThatWriteFilesOrHoldSecretsAreNotKept() throws IOException {
        Path saved = temp.resolve("plan.json");
        assertEquals(ExitCode.OK, plan(Map.of(), "-out", saved.toString()).exitCode());
        assertFalse(Files.exists(stack.resolve(".imm/cache/plan")), "a plan saved to a file is always made afresh");

        Files.writeString(stack.resolve("secret.imm"), "variable \"token\" {\n  type      = string\n  sensitive = true\n"
                + "  default   = \"s3cr3t-value\"\n}\n");
        assertEquals(ExitCode.OK, plan(Map.of("IMM_VAR_token", "another-s3cr3t")).exitCode());
        assertFalse(Files.exists(stack.resolve(".imm/cache/plan")), "a stack with a sensitive value is never kept");
    }
}
