package dev.imm.state.git;

import static dev.imm.state.TestStates.fleet;
import static dev.imm.state.TestStates.info;
import static dev.imm.state.TestStates.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imm.state.CommitInfo;
import dev.imm.state.CommitMessage;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStateRemoteTest {
    @TempDir
    Path tmp;

    private Path remote;

    @BeforeEach
    void bareRemote() throws Exception {
        remote = tmp.resolve("remote.git");
        Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    }

    private GitStateStore clone(String name) {
        return new GitStateStore(tmp.resolve(name + "/.imm/state.git"), "main", remote.toString(), java.time.Clock.systemUTC());
    }

    private ObjectId remoteHead() throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(remote.toFile()).setMustExist(true).build()) {
            Ref ref = repo.exactRef("refs/heads/main");
            return ref == null ? null : ref.getObjectId();
        }
    }

    private static CommitInfo by(String author, String summary, long serial) {
        return new CommitInfo(summary, "", Map.of(CommitMessage.APPLY, "a" + serial, CommitMessage.STATUS, "succeeded"),
                author, author.toLowerCase() + "@example.com", 1_700_000_000_000L + serial);
    }

    @Test
    void aRejectedPushStopsWithWhoMovedTheRemoteAndOverwritesNothing() throws Exception {
        RecordedState s1 = state(1, List.of(), List.of(fleet("web", "ami-1", 2)));
        try (GitStateStore alice = clone("alice"); GitStateStore bob = clone("bob")) {
            assertEquals(Optional.empty(), alice.head());
            Revision r1 = alice.commit(s1, Map.of(), by("Alice", "create web", 1));
            assertEquals(ObjectId.fromString(r1.id()), remoteHead());

            assertEquals(Optional.of(r1), bob.head()); // fetched before the first read
            assertEquals(s1, bob.read(r1));
            Revision r2 = bob.commit(state(2, List.of(), List.of(fleet("web", "ami-2", 2))), Map.of(), by("Bob", "roll web", 2));
            assertEquals(ObjectId.fromString(r2.id()), remoteHead());

            // alice has not fetched since: her commit is on r1, and the remote refuses it
            StateException e = assertThrows(StateException.class,
                    () -> alice.commit(state(2, List.of(), List.of(fleet("web", "ami-3", 9))), Map.of(), by("Alice", "scale web", 2)));
            String message = e.getMessage();
            assertTrue(message.startsWith("another apply updated the remote state at " + r2.shortId() + " (serial 2) by Bob: roll web: "),
                    message);
            assertTrue(message.contains("nothing was overwritten"), message);
            assertTrue(message.contains("the local state is back at " + r1.shortId()), message);
            assertEquals(ObjectId.fromString(r2.id()), remoteHead());
            assertEquals(Optional.of(r1), alice.head());
            assertEquals(List.of(r1), alice.history(Optional.empty(), 0).stream().map(h -> h.revision()).toList());

            try (Repository repo = new FileRepositoryBuilder().setGitDir(tmp.resolve("alice/.imm/state.git").toFile()).build()) {
                List<Ref> kept = repo.getRefDatabase().getRefsByPrefix(GitStateStore.REJECTED);
                assertEquals(1, kept.size());
                assertNotEquals(ObjectId.fromString(r1.id()), kept.get(0).getObjectId());
            }

            alice.fetch();
            assertEquals(Optional.of(r2), alice.head());
            Revision r3 = alice.commit(state(3, List.of(), List.of(fleet("web", "ami-3", 9))), Map.of(), by("Alice", "scale web", 3));
            assertEquals(ObjectId.fromString(r3.id()), remoteHead());
            bob.fetch();
            assertEquals(Optional.of(r3), bob.head());
        }
    }

    @Test
    void aFreshCloneSeesTheRemoteState() throws Exception {
        Revision r1;
        try (GitStateStore alice = clone("alice")) {
            r1 = alice.commit(state(1, List.of(), List.of(fleet("web", "ami-1", 2))), Map.of("applies/a1/plan.json", "{}"),
                    by("Alice", "create web", 1));
        }
        try (GitStateStore carol = clone("carol")) {
            assertEquals(Optional.of(r1), carol.head());
            assertEquals(Optional.of("{}"), carol.readFile(r1, "applies/a1/plan.json"));
            assertEquals(1, carol.history(Optional.empty(), 0).size());
        }
    }

    @Test
    void divergedHistoriesAreReportedNotMerged() throws Exception {
        try (GitStateStore alice = clone("alice"); GitStateStore bob = clone("bob")) {
            alice.commit(state(1, List.of(), List.of()), Map.of(), by("Alice", "one", 1));
            bob.fetch();
            bob.commit(state(2, List.of(), List.of()), Map.of(), by("Bob", "two", 2));
        }
        // alice commits locally without her remote (as if the push had failed), then meets bob's commit
        try (GitStateStore offline = new GitStateStore(tmp.resolve("alice/.imm/state.git"), "main", null)) {
            offline.commit(state(2, List.of(), List.of()), Map.of(), by("Alice", "two, offline", 2));
        }
        try (GitStateStore alice = clone("alice")) {
            StateException e = assertThrows(StateException.class, alice::fetch);
            assertTrue(e.getMessage().startsWith("state diverged: the local state branch main is at "), e.getMessage());
            assertTrue(e.getMessage().contains("by Bob: two"), e.getMessage());
        }
    }

    @Test
    void localCommitsAheadOfTheRemoteArePushedWithTheNext() throws Exception {
        try (GitStateStore alice = clone("alice")) {
            alice.commit(state(1, List.of(), List.of()), Map.of(), by("Alice", "one", 1));
        }
        try (GitStateStore offline = new GitStateStore(tmp.resolve("alice/.imm/state.git"), "main", null)) {
            offline.commit(state(2, List.of(), List.of()), Map.of(), by("Alice", "two", 2));
        }
        try (GitStateStore alice = clone("alice")) {
            assertEquals(2, alice.head().orElseThrow().serial()); // ahead: fetching keeps it
            Revision r3 = alice.commit(state(3, List.of(), List.of()), Map.of(), by("Alice", "three", 3));
            assertEquals(ObjectId.fromString(r3.id()), remoteHead());
        }
    }

    @Test
    void anUnreachableRemoteIsAClearErrorAndTheCommitStaysLocal() throws Exception {
        Path nowhere = tmp.resolve("no-such-remote.git");
        try (GitStateStore store = new GitStateStore(tmp.resolve("x/state.git"), "main", nowhere.toString())) {
            StateException fetch = assertThrows(StateException.class, store::head);
            assertTrue(fetch.getMessage().startsWith("cannot fetch state from " + nowhere), fetch.getMessage());
            StateException push = assertThrows(StateException.class,
                    () -> store.commit(state(1, List.of(), List.of()), Map.of(), info("one", "a1", "succeeded", 1)));
            assertTrue(push.getMessage().startsWith("cannot push state to " + nowhere), push.getMessage());
            assertTrue(push.getMessage().contains("committed locally at"), push.getMessage());
        }
        try (GitStateStore local = new GitStateStore(tmp.resolve("x/state.git"), "main", null)) {
            assertEquals(1, local.head().orElseThrow().serial());
        }
    }

    @Test
    void theLockLivesOnTheRemoteSoClonesExcludeEachOther() throws Exception {
        try (GitStateStore alice = clone("alice"); GitStateStore bob = clone("bob")) {
            alice.commit(state(1, List.of(), List.of(fleet("web", "ami-1", 2))), Map.of(), by("Alice", "create web", 1));
            dev.imm.state.Lock held = alice.lock("alice", "apply a1", java.time.Duration.ofMinutes(2), java.time.Duration.ZERO);
            assertEquals("alice", bob.currentLock().orElseThrow().owner());
            StateException e = assertThrows(StateException.class,
                    () -> bob.lock("bob", "apply b1", java.time.Duration.ofMinutes(2), java.time.Duration.ZERO));
            assertTrue(e.getMessage().startsWith("state is locked by alice"), e.getMessage());
            held.renew();
            held.release();
            assertEquals(Optional.empty(), bob.currentLock());
            dev.imm.state.Lock bobs = bob.lock("bob", "apply b1", java.time.Duration.ofMinutes(2), java.time.Duration.ZERO);
            assertEquals("bob", alice.currentLock().orElseThrow().owner());
            bobs.release();
            try (Repository repo = new FileRepositoryBuilder().setGitDir(remote.toFile()).setMustExist(true).build()) {
                assertEquals(null, repo.exactRef(GitStateStore.LOCK_REF), "released on the remote");
            }
        }
    }
}
