package dev.imm.state.git;

import static dev.imm.state.TestStates.fleet;
import static dev.imm.state.TestStates.image;
import static dev.imm.state.TestStates.info;
import static dev.imm.state.TestStates.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.model.Address;
import dev.imm.state.CommitInfo;
import dev.imm.state.CommitMessage;
import dev.imm.state.FleetRecord;
import dev.imm.state.HistoryEntry;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import dev.imm.state.TestStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStateStoreTest {
    @TempDir
    Path tmp;

    private GitStateStore store() {
        return new GitStateStore(tmp.resolve(".imm/state.git"), "main", null, new TestStates.MutableClock(0));
    }

    private static Repository open(Path dir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(dir.toFile()).setMustExist(true).build();
    }

    @Test
    void readsNothingAndCreatesNothingBeforeTheFirstCommit() throws StateException {
        try (GitStateStore store = store()) {
            assertEquals(Optional.empty(), store.head());
            assertEquals(List.of(), store.history(Optional.empty(), 0));
            assertEquals(Optional.empty(), store.resolve("HEAD"));
            assertEquals(Optional.empty(), store.currentLock());
        }
        assertFalse(Files.exists(tmp.resolve(".imm")));
    }

    @Test
    void commitsAndReadsBack() throws Exception {
        RecordedState s1 = state(1, List.of(image("app", "ami-1")), List.of(fleet("web", "ami-1", 2)));
        try (GitStateStore store = store()) {
            Revision r1 = store.commit(s1, Map.of("applies/a1/journal.txt", "bake image.app\n"),
                    info("apply a1: bake image.app", "a1", "in-progress", 1_000));
            assertEquals(1, r1.serial());
            assertEquals(40, r1.id().length());
            assertEquals(Optional.of(r1), store.head());
            assertEquals(s1, store.read(r1));
            assertEquals(Optional.of("bake image.app\n"), store.readFile(r1, "applies/a1/journal.txt"));
            assertEquals(Optional.empty(), store.readFile(r1, "applies/a1/plan.json"));
        }
        try (Repository repo = open(tmp.resolve(".imm/state.git"))) {
            assertTrue(repo.isBare());
            assertEquals("refs/heads/main", repo.exactRef(Constants.HEAD).getTarget().getName());
        }
    }

    /** A commit of many new files writes one pack; small ones stay loose; every state reads back either way. */
    @Test
    void aCommitOfManyFilesIsOnePackAndReadsBack() throws Exception {
        List<FleetRecord> many = new ArrayList<>();
        for (int i = 0; i < GitStateStore.PACK_AT + 50; i++) {
            many.add(fleet("web" + i, "ami-1", 1));
        }
        RecordedState big = state(1, List.of(image("app", "ami-1")), many);
        Path git = tmp.resolve(".imm/state.git");
        try (GitStateStore store = store()) {
            Revision r1 = store.commit(big, Map.of("applies/a1/plan.json", "{}\n"), info("apply a1", "a1", "in-progress", 1_000));
            assertEquals(1, packs(git), "the first commit's objects are one pack");
            assertEquals(big, store.read(r1));
            List<FleetRecord> changed = new ArrayList<>(many);
            changed.set(7, fleet("web7", "ami-2", 1));
            RecordedState small = state(2, List.of(image("app", "ami-1", "ami-2")), changed);
            Revision r2 = store.commit(small, Map.of(), info("apply a2", "a2", "succeeded", 2_000));
            assertEquals(1, packs(git), "a commit of a few changes stays loose");
            assertEquals(small, store.read(r2));
            assertEquals(big, store.read(r1));
        }
        try (GitStateStore again = store()) {
            assertEquals(2, again.head().orElseThrow().serial());
            assertEquals(GitStateStore.PACK_AT + 50, again.read(again.head().orElseThrow()).fleets().size());
        }
    }

    private static long packs(Path git) throws IOException {
        try (Stream<Path> list = Files.list(git.resolve("objects/pack"))) {
            return list.filter(p -> p.toString().endsWith(".pack")).count();
        }
    }

    @Test
    void laterCommitsKeepEarlierExtraFilesAndDropDestroyedResources() throws Exception {
        try (GitStateStore store = store()) {
            store.commit(state(1, List.of(), List.of(fleet("web", "ami-1", 2), fleet("api", "ami-1", 2))),
                    Map.of("applies/a1/plan.json", "{}\n"), info("apply a1", "a1", "succeeded", 1_000));
            Revision r2 = store.commit(state(2, List.of(), List.of(fleet("api", "ami-1", 2))),
                    Map.of("applies/a2/plan.json", "{\"x\":1}\n"), info("apply a2: destroy fleet.web", "a2", "succeeded", 2_000));
            assertEquals(Optional.of("{}\n"), store.readFile(r2, "applies/a1/plan.json"));
            assertEquals(Optional.of("{\"x\":1}\n"), store.readFile(r2, "applies/a2/plan.json"));
            assertEquals(Optional.empty(), store.readFile(r2, "resources/fleet/web.json"));
            assertEquals(List.of(Address.of("fleet", "api")), List.copyOf(store.read(r2).fleets().keySet()));
            assertThrows(IllegalArgumentException.class, () -> store.commit(state(3, List.of(), List.of()),
                    Map.of("resources/fleet/x.json", "{}"), info("bad", "a3", "succeeded", 3_000)));
        }
    }

    @Test
    void aCommitTouchingOneResourceOf500WritesOneResourceBlob() throws Exception {
        Path dir = tmp.resolve(".imm/state.git");
        List<FleetRecord> fleets = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            fleets.add(fleet(String.format("f%03d", i), "ami-1", 2));
        }
        Revision r1;
        Revision r2;
        long objectsBefore;
        try (GitStateStore store = store()) {
            r1 = store.commit(state(1, List.of(image("app", "ami-1")), fleets), Map.of(), info("create 500", "a1", "succeeded", 1_000));
            objectsBefore = looseObjects(dir);
            fleets.set(123, fleet("f123", "ami-2", 3));
            assertEquals(502, store.lastBlobsInserted);
            r2 = store.commit(state(2, List.of(image("app", "ami-1")), fleets), Map.of(), info("roll f123", "a2", "succeeded", 2_000));
            assertEquals(2, store.lastBlobsInserted); // fleet f123 and stack.json; 500 other files reused as they were
        }
        // a new blob for the changed fleet and for stack.json (its serial), the three trees above them, the commit
        assertEquals(6, looseObjects(dir) - objectsBefore);
        try (Repository repo = open(dir); RevWalk rw = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(rw.parseCommit(ObjectId.fromString(r1.id())).getTree());
            tw.addTree(rw.parseCommit(ObjectId.fromString(r2.id())).getTree());
            tw.setRecursive(true);
            tw.setFilter(TreeFilter.ANY_DIFF);
            List<String> changed = new ArrayList<>();
            while (tw.next()) {
                changed.add(tw.getPathString());
            }
            assertEquals(List.of("resources/fleet/f123.json", "stack.json"), changed);
        }
    }

    private static long looseObjects(Path gitDir) throws IOException {
        try (Stream<Path> files = Files.walk(gitDir.resolve("objects"))) {
            return files.filter(p -> p.getParent().getFileName().toString().matches("[0-9a-f]{2}"))
                    .filter(Files::isRegularFile).count();
        }
    }

    @Test
    void historyOfOneResourceListsOnlyTheCommitsThatChangedIt() throws Exception {
        try (GitStateStore store = store()) {
            Revision c1 = store.commit(state(1, List.of(), List.of(fleet("web", "ami-1", 2), fleet("api", "ami-1", 2))),
                    Map.of(), info("create web and api", "a1", "succeeded", 1_000));
            store.commit(state(2, List.of(), List.of(fleet("web", "ami-1", 2), fleet("api", "ami-2", 2))),
                    Map.of(), info("roll api", "a2", "succeeded", 1_000));
            Revision c3 = store.commit(state(3, List.of(), List.of(fleet("web", "ami-2", 2), fleet("api", "ami-2", 2))),
                    Map.of(), info("roll web", "a3", "succeeded", 1_000));
            store.commit(state(4, List.of(), List.of(fleet("web", "ami-2", 2), fleet("api", "ami-2", 5))),
                    Map.of("applies/a4/plan.json", "{}"), info("scale api", "a4", "failed", 1_000));
            Revision c5 = store.commit(state(5, List.of(), List.of(fleet("api", "ami-2", 5))),
                    Map.of(), info("destroy web", "a5", "rolled-back", 1_000));

            List<HistoryEntry> web = store.history(Optional.of(Address.of("fleet", "web")), 0);
            assertEquals(List.of(c5, c3, c1), web.stream().map(HistoryEntry::revision).collect(Collectors.toList()));
            assertEquals(List.of("destroy web", "roll web", "create web and api"),
                    web.stream().map(HistoryEntry::summary).collect(Collectors.toList()));
            assertEquals(List.of(5L, 4L, 3L, 2L, 1L), store.history(Optional.empty(), 0).stream()
                    .map(e -> e.revision().serial()).collect(Collectors.toList()));
            assertEquals(List.of(5L, 4L), store.history(Optional.empty(), 2).stream()
                    .map(e -> e.revision().serial()).collect(Collectors.toList()));
            assertEquals(List.of(), store.history(Optional.of(Address.of("fleet", "nothing")), 0));
            assertThrows(StateException.class, () -> store.history(Optional.of(Address.of("var", "env")), 0));
        }
    }

    @Test
    void trailersAndAuthorReadBack() throws Exception {
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put(CommitMessage.APPLY, "3f2a");
        trailers.put(CommitMessage.STATUS, "in-progress");
        trailers.put("Imm-Step", "bake image.app");
        try (GitStateStore store = store()) {
            store.commit(state(9, List.of(), List.of()), Map.of(),
                    new CommitInfo("apply 3f2a: started bake of image.app", "handle bake/b-17\nsecond line", trailers,
                            "Bob Builder", "bob@example.com", 1_700_000_000_000L));
            HistoryEntry entry = store.history(Optional.empty(), 1).get(0);
            Map<String, String> expected = new LinkedHashMap<>(trailers);
            expected.put(CommitMessage.SERIAL, "9");
            assertEquals(expected, entry.trailers());
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(entry.trailers().keySet()));
            assertEquals("apply 3f2a: started bake of image.app", entry.summary());
            assertEquals("Bob Builder <bob@example.com>", entry.author());
            assertEquals(1_700_000_000_000L, entry.timeMillis());
            assertEquals(9, entry.revision().serial());
        }
        try (Repository repo = open(tmp.resolve(".imm/state.git")); RevWalk rw = new RevWalk(repo)) {
            RevCommit c = rw.parseCommit(repo.resolve("refs/heads/main"));
            assertEquals("apply 3f2a: started bake of image.app\n\nhandle bake/b-17\nsecond line\n\n"
                    + "Imm-Apply: 3f2a\nImm-Status: in-progress\nImm-Step: bake image.app\nImm-Serial: 9\n", c.getFullMessage());
        }
    }

    @Test
    void resolvesIdsAndRelativeRevisions() throws Exception {
        try (GitStateStore store = store()) {
            Revision r1 = store.commit(state(1, List.of(), List.of()), Map.of(), info("one", "a1", "succeeded", 1_000));
            Revision r2 = store.commit(state(2, List.of(), List.of()), Map.of(), info("two", "a2", "succeeded", 2_000));
            Revision r3 = store.commit(state(3, List.of(), List.of()), Map.of(), info("three", "a3", "succeeded", 3_000));
            assertEquals(Optional.of(r3), store.resolve("HEAD"));
            assertEquals(Optional.of(r2), store.resolve("HEAD~1"));
            assertEquals(Optional.of(r1), store.resolve("HEAD~2"));
            assertEquals(Optional.empty(), store.resolve("HEAD~3"));
            assertEquals(Optional.of(r1), store.resolve(r1.id()));
            assertEquals(Optional.of(r2), store.resolve(r2.id().substring(0, 10)));
            assertEquals(Optional.empty(), store.resolve("0000000000000000000000000000000000000001"));
            assertEquals(Optional.empty(), store.resolve(""));
            assertThrows(StateException.class, () -> store.resolve("HEAD~~^^:x:"));
        }
    }

    @Test
    void aMalformedStateFileIsReportedWithTheRevisionAndFile() throws Exception {
        Path dir = tmp.resolve(".imm/state.git");
        Revision good;
        try (GitStateStore store = store()) {
            good = store.commit(state(1, List.of(), List.of()), Map.of(), info("one", "a1", "succeeded", 1_000));
        }
        String bad;
        try (Repository repo = open(dir); ObjectInserter ins = repo.newObjectInserter(); RevWalk rw = new RevWalk(repo)) {
            RevCommit parent = rw.parseCommit(ObjectId.fromString(good.id()));
            ObjectId stack;
            try (TreeWalk tw = TreeWalk.forPath(repo, "stack.json", parent.getTree())) {
                stack = tw.getObjectId(0);
            }
            TreeFormatter fleetDir = new TreeFormatter();
            fleetDir.append("web.json", org.eclipse.jgit.lib.FileMode.REGULAR_FILE,
                    ins.insert(Constants.OBJ_BLOB, "{\"address\": \"fleet.web\"}\n".getBytes(StandardCharsets.UTF_8)));
            TreeFormatter resources = new TreeFormatter();
            resources.append("fleet", org.eclipse.jgit.lib.FileMode.TREE, ins.insert(fleetDir));
            TreeFormatter root = new TreeFormatter();
            root.append("resources", org.eclipse.jgit.lib.FileMode.TREE, ins.insert(resources));
            root.append("stack.json", org.eclipse.jgit.lib.FileMode.REGULAR_FILE, stack);
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(ins.insert(root));
            cb.setParentId(parent);
            PersonIdent who = new PersonIdent("Mallory", "m@example.com");
            cb.setAuthor(who);
            cb.setCommitter(who);
            cb.setMessage("hand-edited\n");
            ObjectId id = ins.insert(cb);
            ins.flush();
            RefUpdate u = repo.updateRef("refs/heads/main");
            u.setNewObjectId(id);
            assertEquals(RefUpdate.Result.FAST_FORWARD, u.update());
            bad = id.name();
        }
        try (GitStateStore store = store()) {
            Revision head = store.head().orElseThrow();
            assertEquals(bad, head.id());
            assertEquals(1, head.serial()); // no Imm-Serial trailer: read from stack.json
            StateException e = assertThrows(StateException.class, () -> store.read(head));
            assertEquals("state revision " + bad.substring(0, 7) + ": resources/fleet/web.json: \"fleet_id\" is missing",
                    e.getMessage());
            assertThrows(StateException.class, () -> store.read(new Revision("nothex", 1)));
            assertTrue(assertThrows(StateException.class, () -> store.read(new Revision("1".repeat(40), 1)))
                    .getMessage().startsWith("no state revision 1111111111111111111111111111111111111111"));
        }
    }

    @Test
    void refusesToWriteIntoADirectoryThatIsNotItsRepository() throws Exception {
        Path dir = tmp.resolve("occupied");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        try (GitStateStore store = new GitStateStore(dir, "main", null)) {
            StateException e = assertThrows(StateException.class, () -> store.commit(state(1, List.of(), List.of()),
                    Map.of(), info("one", "a1", "succeeded", 1_000)));
            assertTrue(e.getMessage().contains("is not a Git repository"), e.getMessage());
        }
    }

    @Test
    void usesTheConfiguredBranch() throws Exception {
        Path dir = tmp.resolve("s.git");
        try (GitStateStore store = new GitStateStore(dir, "prod", null)) {
            Revision r = store.commit(state(1, List.of(), List.of()), Map.of(), info("one", "a1", "succeeded", 1_000));
            assertEquals(Optional.of(r), store.resolve("HEAD"));
        }
        try (Repository repo = open(dir)) {
            assertTrue(repo.exactRef("refs/heads/prod") != null);
            assertEquals(null, repo.exactRef("refs/heads/main"));
        }
        try (GitStateStore store = new GitStateStore(dir, "bad name", null)) {
            assertThrows(StateException.class, store::head);
        }
    }
}
