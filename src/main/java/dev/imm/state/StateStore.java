package dev.imm.state;

import dev.imm.model.Address;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a stack's recorded state and its history are kept (DESIGN §4): a sequence of revisions, each a
 * complete {@link RecordedState} plus the apply's own files (plan, journal), the newest being the head.
 * Writers hold the {@link Lock} while they change state, and persist after every completed step and when a
 * long step starts, so that a killed apply never leaves a created resource unknown to state.
 *
 * <p>With a remote, the store fetches once before the first read and whenever {@link #fetch()} is called,
 * never on its own in the middle of an apply; each commit is pushed at once, and a push the remote
 * rejects (another apply got there first) fails the commit without overwriting anything.
 */
public interface StateStore extends AutoCloseable {
    /** The newest revision, or empty for a stack that has none yet. */
    Optional<Revision> head() throws StateException;

    RecordedState read(Revision revision) throws StateException;

    /** A file other than state at a revision, such as {@code applies/<id>/plan.json}; empty if absent. */
    Optional<String> readFile(Revision revision, String path) throws StateException;

    /**
     * Records a new head: the state, plus extra files (by path, e.g. {@code applies/<id>/plan.json} and
     * {@code applies/<id>/journal.json}; never {@code stack.json} or under {@code resources/}) added to or
     * replacing those of the previous revision. Only changed files are written; the others are shared with
     * the previous revision.
     */
    Revision commit(RecordedState state, Map<String, String> extraFiles, CommitInfo info) throws StateException;

    /** Revisions newest first, all of them or those that changed one resource's file; {@code limit <= 0}: all. */
    List<HistoryEntry> history(Optional<Address> resource, int limit) throws StateException;

    /**
     * Takes the state lock for {@code lease}, taking over a lock whose lease has ended, and waiting up to
     * {@code waitUpTo} for a live one to be released. Fails with who holds it, since when, for what and
     * when its lease ends.
     */
    Lock lock(String owner, String operation, Duration lease, Duration waitUpTo) throws StateException;

    Optional<LockInfo> currentLock() throws StateException;

    /** Removes the lock whoever holds it ({@code imm unlock}); its holder's next renewal fails. */
    void breakLock() throws StateException;

    /**
     * Removes the lock only if it is still {@code expected} (what the user was shown): a lock taken over
     * in between is left alone, and this fails saying who holds it now.
     */
    void breakLock(LockInfo expected) throws StateException;

    /** A revision by full or abbreviated id, or relative to the head ({@code HEAD}, {@code HEAD~2}); empty if none. */
    Optional<Revision> resolve(String revision) throws StateException;

    /** Brings in the remote's revisions (nothing without a remote); fails if the two histories diverged. */
    void fetch() throws StateException;

    @Override
    void close();
}
