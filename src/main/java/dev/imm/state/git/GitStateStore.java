package dev.imm.state.git;

import dev.imm.model.Address;
import dev.imm.model.StateConfig;
import dev.imm.state.CommitInfo;
import dev.imm.state.CommitMessage;
import dev.imm.state.HistoryEntry;
import dev.imm.state.Lock;
import dev.imm.state.LockInfo;
import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.StateCodec;
import dev.imm.state.StateException;
import dev.imm.state.StateStore;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * The state store as a bare Git repository (by default {@code <stack>/.imm/state.git}), written through
 * JGit without a work tree or a git binary. Each revision is a commit on the state branch whose tree holds
 * the files of {@link StateCodec} plus the apply's own files; a commit writes only the blobs that changed
 * and reuses every other entry of the previous tree, so its cost does not grow with untouched resources.
 *
 * <p>The lock is the ref {@value #LOCK_REF}, pointing at a blob that says who holds it, for what, since
 * when and until when. It is only ever moved by compare-and-set (the ref update states the id it expects
 * to replace), so two processes can never both hold it; a lock whose lease ended may be taken over.
 *
 * <p>With a remote (any URI or path JGit can fetch from), the branch is fetched before the first read
 * and on {@link #fetch()} and fast-forwarded; every commit is pushed at once, never forced. A rejected
 * push means another apply moved the remote first: the local branch goes back to where it was, the
 * refused commit is kept under {@code refs/imm/rejected/}, and nothing on the remote is overwritten.
 * The lock then lives on the remote: every move of it is a push that states the id it expects to
 * replace, so clones on different machines exclude each other, and the local {@value #LOCK_REF}
 * mirrors the remote's. The remote's refusal of a non-fast-forward push stays as a second guard.
 */
public final class GitStateStore implements StateStore {
    static {
        // Object ids with the JDK's SHA-1 (intrinsic on most CPUs) instead of JGit's Java one with collision
        // detection: the state repository holds only what imm writes, and hashing was most of a commit's time
        // (bench/README.md). A value set by the user wins.
        if (System.getProperty("org.eclipse.jgit.util.sha1.implementation") == null) {
            System.setProperty("org.eclipse.jgit.util.sha1.implementation", "jdkNative");
        }
        withoutProcesses(FS.DETECTED);
    }

    /**
     * JGit starts processes to learn two things: where the system-wide Git configuration is (it runs
     * {@code git --version}, then {@code git config --system --show-origin --list}) and, when it creates a
     * repository, the umask ({@code sh -c umask}). Together about 80 ms of a plan or an apply (paired,
     * bench/README.md); here they are read where Git itself looks: {@code $GIT_CONFIG_SYSTEM}, else
     * {@code /etc/gitconfig} when it exists (none with {@code GIT_CONFIG_NOSYSTEM}, which JGit honours
     * itself), and the umask from {@code /proc/self/status} on Linux (elsewhere JGit asks {@code sh}).
     */
    static void withoutProcesses(FS fs) {
        String system = System.getenv("GIT_CONFIG_SYSTEM");
        File config = system != null && !system.isEmpty() ? new File(system) : new File("/etc/gitconfig");
        fs.setGitSystemConfig(config.isFile() ? config : null);
        if (fs instanceof org.eclipse.jgit.util.FS_POSIX posix) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("Umask:")) {
                        posix.setUmask(Integer.parseInt(line.substring("Umask:".length()).strip(), 8));
                    }
                }
            } catch (IOException | RuntimeException unknown) {
                // not Linux, or no Umask line (kernels before 4.7): JGit runs sh -c umask when it needs it
            }
        }
    }

    public static final String LOCK_REF = "refs/imm/lock";
    static final String TRACKING = "refs/remotes/imm/";
    static final String REJECTED = "refs/imm/rejected/";
    private static final long POLL_MILLIS = 100;

    private final Path directory;
    private final String branch;
    private final String branchRef;
    private final String remote;
    private final Clock clock;
    private Repository repository;
    private volatile boolean fetched;

    /**
     * A store at {@code directory}, created on first write; {@code branch} as in the {@code state} block
     * ("main" if null); {@code remote} null for none; {@code clock} gives lock times.
     */
    public GitStateStore(Path directory, String branch, String remote, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.branch = branch == null || branch.isBlank() ? "main" : branch;
        this.branchRef = Constants.R_HEADS + this.branch;
        this.remote = remote == null || remote.isBlank() ? null : remote;
        this.clock = clock;
    }

    public GitStateStore(Path directory, String branch, String remote) {
        this(directory, branch, remote, Clock.systemUTC());
    }

    public GitStateStore(Path directory, StateConfig config) {
        this(directory, config.branch(), config.remote(), Clock.systemUTC());
    }

    // ---- the repository

    private synchronized Repository open(boolean create) throws StateException {
        if (repository != null) {
            return repository;
        }
        if (!Repository.isValidRefName(branchRef)) {
            throw new StateException("state branch \"" + branch + "\" is not a valid Git branch name");
        }
        File dir = directory.toFile();
        try {
            if (!RepositoryCache.FileKey.isGitRepository(dir, FS.DETECTED)) {
                if (!create) {
                    return null;
                }
                if (Files.exists(directory) && !isEmptyDirectory(directory) && !createdByAnother(dir)) {
                    throw new StateException(directory + " exists and is not a Git repository; imm keeps state "
                            + "in a repository of its own and will not write there");
                }
                Files.createDirectories(directory);
                try (Git git = Git.init().setBare(true).setDirectory(dir).setInitialBranch(branch).call()) {
                    git.getRepository().getConfig().save();
                } catch (IllegalStateException raced) {
                    // another imm created it between our look and our init: use theirs
                    if (!createdByAnother(dir)) {
                        throw raced;
                    }
                }
            }
            repository = new FileRepositoryBuilder().setGitDir(dir).setMustExist(true).build();
            if (repository.getConfig().getString("core", null, "compression") == null) {
                // each step of an apply writes a new tree of every resource as a loose object: the fastest
                // zlib level makes those commits much cheaper for little size (in memory; a repository's own
                // core.compression wins)
                repository.getConfig().setInt("core", null, "compression", 1);
            }
            return repository;
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw new StateException("cannot open the state repository " + directory + ": " + message(e), e);
        }
    }

    /**
     * Whether another process (an imm applying the same new stack) is creating the repository: it becomes
     * one within a few seconds. A directory that stays something else is not imm's to write in.
     */
    private static boolean createdByAnother(File dir) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (!RepositoryCache.FileKey.isGitRepository(dir, FS.DETECTED)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The repository for reading, fetched first once per store when there is a remote; null if none yet. */
    private Repository forRead() throws StateException {
        if (remote != null && !fetched) {
            fetch();
        }
        return open(false);
    }

    private ObjectId branchHead(Repository r) throws IOException {
        Ref ref = r.exactRef(branchRef);
        return ref == null ? null : ref.getObjectId();
    }

    private StateException failure(String what, Exception e) {
        return new StateException("state repository " + directory + ": cannot " + what + ": " + message(e), e);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public synchronized void close() {
        if (repository != null) {
            repository.close();
            repository = null;
        }
    }

    // ---- reading

    @Override
    public Optional<Revision> head() throws StateException {
        Repository r = forRead();
        if (r == null) {
            return Optional.empty();
        }
        try (RevWalk rw = new RevWalk(r)) {
            ObjectId head = branchHead(r);
            return head == null ? Optional.empty() : Optional.of(revision(r, rw.parseCommit(head)));
        } catch (IOException e) {
            throw failure("read the state branch " + branch, e);
        }
    }

    @Override
    public RecordedState read(Revision revision) throws StateException {
        Repository r = existing(revision);
        try (RevWalk rw = new RevWalk(r); TreeWalk tw = new TreeWalk(r)) {
            RevCommit c = commit(rw, revision.id());
            tw.addTree(c.getTree());
            tw.setRecursive(true);
            tw.setFilter(PathFilterGroup.createFromStrings(StateCodec.STACK_FILE, "resources"));
            Map<String, byte[]> files = new TreeMap<>();
            while (tw.next()) {
                if (tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    throw new StateException("state revision " + revision.shortId() + ": " + tw.getPathString()
                            + ": not a file");
                }
                files.put(tw.getPathString(), r.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes());
            }
            try {
                return StateCodec.decode(files);
            } catch (StateException e) {
                throw new StateException("state revision " + revision.shortId() + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw failure("read state revision " + revision.shortId(), e);
        }
    }

    @Override
    public Optional<String> readFile(Revision revision, String path) throws StateException {
        Repository r = existing(revision);
        try (RevWalk rw = new RevWalk(r)) {
            RevCommit c = commit(rw, revision.id());
            try (TreeWalk tw = TreeWalk.forPath(r, path, c.getTree())) {
                if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return Optional.empty();
                }
                byte[] bytes = r.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw failure("read " + path + " at state revision " + revision.shortId(), e);
        }
    }

    private Repository existing(Revision revision) throws StateException {
        Repository r = forRead();
        if (r == null) {
            throw new StateException("no state revision " + revision.shortId() + ": " + directory + " holds no state yet");
        }
        return r;
    }

    private RevCommit commit(RevWalk rw, String id) throws StateException, IOException {
        ObjectId oid;
        try {
            oid = ObjectId.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new StateException("not a state revision id: \"" + id + "\" (expected 40 hexadecimal digits)");
        }
        try {
            return rw.parseCommit(oid);
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            throw new StateException("no state revision " + id + " in " + directory);
        }
    }

    /** The revision of a commit: its serial from the {@code Imm-Serial} trailer, else from its stack.json. */
    private Revision revision(Repository r, RevCommit c) throws IOException {
        String serial = CommitMessage.trailers(c.getFullMessage()).get(CommitMessage.SERIAL);
        if (serial != null && serial.matches("[0-9]{1,18}")) {
            return new Revision(c.name(), Long.parseLong(serial));
        }
        try (TreeWalk tw = TreeWalk.forPath(r, StateCodec.STACK_FILE, c.getTree())) {
            if (tw != null) {
                byte[] stack = r.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                return new Revision(c.name(), StateCodec.decode(Map.of(StateCodec.STACK_FILE, stack)).serial());
            }
        } catch (StateException | IncorrectObjectTypeException e) {
            // a revision with a malformed stack file still has an id; reading it reports the problem
        }
        return new Revision(c.name(), -1);
    }

    @Override
    public List<HistoryEntry> history(Optional<Address> resource, int limit) throws StateException {
        if (resource.isPresent() && !StateCodec.isStateAddress(resource.get())) {
            throw new StateException(resource.get() + " has no history in state: state keeps the stack's own "
                    + "images and fleets");
        }
        Repository r = forRead();
        if (r == null) {
            return List.of();
        }
        List<HistoryEntry> entries = new ArrayList<>();
        try (RevWalk rw = new RevWalk(r)) {
            ObjectId head = branchHead(r);
            if (head == null) {
                return List.of();
            }
            rw.sort(RevSort.TOPO);
            if (resource.isPresent()) {
                rw.setTreeFilter(AndTreeFilter.create(PathFilter.create(StateCodec.pathOf(resource.get())),
                        TreeFilter.ANY_DIFF));
            }
            rw.markStart(rw.parseCommit(head));
            for (RevCommit c : rw) {
                entries.add(entry(r, c));
                if (limit > 0 && entries.size() >= limit) {
                    break;
                }
            }
        } catch (IOException e) {
            throw failure("read the history of " + branch, e);
        }
        return entries;
    }

    private HistoryEntry entry(Repository r, RevCommit c) throws IOException {
        PersonIdent author = c.getAuthorIdent();
        String who = author.getEmailAddress() == null || author.getEmailAddress().isEmpty() ? author.getName()
                : author.getName() + " <" + author.getEmailAddress() + ">";
        String message = c.getFullMessage();
        return new HistoryEntry(revision(r, c), author.getWhenAsInstant().toEpochMilli(), who,
                CommitMessage.summary(message), CommitMessage.trailers(message));
    }

    @Override
    public Optional<Revision> resolve(String revision) throws StateException {
        String spec = revision.strip();
        if (spec.isEmpty()) {
            return Optional.empty();
        }
        Repository r = forRead();
        if (r == null) {
            return Optional.empty();
        }
        if (spec.equals(Constants.HEAD) || spec.startsWith("HEAD~") || spec.startsWith("HEAD^")) {
            spec = branchRef + spec.substring(Constants.HEAD.length());
        }
        try (RevWalk rw = new RevWalk(r)) {
            ObjectId id = r.resolve(spec);
            return id == null ? Optional.empty() : Optional.of(revision(r, rw.parseCommit(id)));
        } catch (AmbiguousObjectException e) {
            throw new StateException("revision " + revision + " is ambiguous: " + e.getCandidates().size()
                    + " objects start with it; give more digits");
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("resolve " + revision, e);
        } catch (RevisionSyntaxException | IndexOutOfBoundsException e) {
            // JGit reports some malformed expressions with an index error rather than a syntax error
            throw new StateException("\"" + revision + "\" is not a revision: give a commit id (full or at least "
                    + "4 digits), HEAD or HEAD~N");
        }
    }

    // ---- writing

    /**
     * What this store last committed: its tree, and the state it holds. When the next commit builds on
     * that tree, it compares the states (record by record, the same records mostly being the same objects),
     * encodes only the files whose record changed, and writes only the trees above them: a commit costs
     * what changed, not what the state holds. Null after a failed commit, or before the first.
     */
    private TreeCache committedTree;
    private RecordedState committedState;

    @Override
    public Revision commit(RecordedState state, Map<String, String> extraFiles, CommitInfo info)
            throws StateException {
        extraFiles.forEach((path, text) -> {
            if (StateCodec.isStatePath(path)) {
                throw new IllegalArgumentException(path + " is a state file; extra files go elsewhere (applies/…)");
            }
        });
        Map<String, String> trailers = new LinkedHashMap<>(info.trailers());
        trailers.remove(CommitMessage.SERIAL);
        trailers.put(CommitMessage.SERIAL, Long.toString(state.serial()));
        String message = CommitMessage.render(info.summary(), info.body(), trailers);

        Repository r = open(true);
        ObjectId parent;
        ObjectId id;
        TreeCache tree = committedTree;
        RecordedState before = committedState;
        committedTree = null; // until this commit is made: a failure below leaves the cache half-changed
        committedState = null;
        try {
            List<String> removed = new ArrayList<>();
            Map<String, Object> changed = new LinkedHashMap<>();
            try (RevWalk rw = new RevWalk(r)) {
                parent = branchHead(r);
                RevTree base = parent == null ? null : rw.parseCommit(parent).getTree();
                if (tree == null || base == null || !base.getId().equals(tree.id())) {
                    tree = base == null ? TreeCache.empty() : TreeCache.read(rw.getObjectReader(), base);
                    before = null;
                }
            }
            if (before == null) {
                changed.putAll(StateCodec.sources(state));
                TreeCache files = tree;
                files.forEachFile((path, blob) -> {
                    if (StateCodec.isStatePath(path) && !changed.containsKey(path)) {
                        removed.add(path); // a resource the state no longer has
                    }
                });
            } else if (before != state) { // the same state again is a journal entry of a step that starts
                changes(before, state, removed, changed);
            }
            try (ObjectInserter inserter = inserter(r, changed.size() + extraFiles.size());
                 ObjectInserter.Formatter hasher = new ObjectInserter.Formatter()) {
                int inserted = 0;
                removed.forEach(tree::remove);
                for (Map.Entry<String, Object> e : changed.entrySet()) {
                    byte[] content = StateCodec.encodeOne(state, e.getKey(), e.getValue());
                    inserted += insertIfNew(inserter, hasher, tree, e.getKey(), content);
                }
                for (Map.Entry<String, String> e : extraFiles.entrySet()) {
                    inserted += insertIfNew(inserter, hasher, tree, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
                }
                lastBlobsInserted = inserted;
                PersonIdent who = new PersonIdent(info.authorName() == null ? "imm" : info.authorName(),
                        info.authorEmail() == null ? "" : info.authorEmail(), Instant.ofEpochMilli(info.timeMillis()),
                        ZoneOffset.UTC);
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(tree.write(inserter));
                if (parent != null) {
                    commit.setParentId(parent);
                }
                commit.setAuthor(who);
                commit.setCommitter(who);
                commit.setEncoding(StandardCharsets.UTF_8);
                commit.setMessage(message);
                id = inserter.insert(commit);
                inserter.flush();
            }
            if (!moveRef(r, branchRef, parent, id)) {
                ObjectId now = branchHead(r);
                throw new StateException("the state branch " + branch + " moved from " + abbreviate(parent) + " to "
                        + abbreviate(now) + " while this commit was being made; another process is writing "
                        + "state without holding the lock. Nothing was overwritten");
            }
        } catch (IOException e) {
            throw failure("commit state", e);
        }
        committedTree = tree;
        committedState = state;
        if (remote != null) {
            push(r, parent, id);
        }
        return new Revision(id.name(), state.serial());
    }

    /** How many blobs the last commit inserted: what it cost, for tests. */
    volatile int lastBlobsInserted;

    /** Past this many new files, a commit's objects go into one pack instead of a loose file each. */
    static final int PACK_AT = 256;

    /**
     * Where a commit's objects go: a commit that adds many files at once (the last commit of an apply
     * that created thousands of fleets) writes them as one pack, which is one file to write and faster to
     * read than thousands of loose objects; small commits, which an apply makes one per step, stay loose,
     * since a pack each would soon be thousands of packs.
     */
    private static ObjectInserter inserter(Repository r, int files) {
        if (files > PACK_AT && r.getObjectDatabase() instanceof org.eclipse.jgit.internal.storage.file.ObjectDirectory dir) {
            org.eclipse.jgit.internal.storage.file.PackInserter pack = dir.newPackInserter();
            pack.checkExisting(true);
            pack.setCompressionLevel(r.getConfig().getInt("core", null, "compression", 1));
            return pack;
        }
        return r.newObjectInserter();
    }

    /**
     * The state files that differ between two states: paths of resources {@code after} no longer has, and
     * the source of each file that is new or changed, by path ({@link StateCodec#sources}).
     */
    private static void changes(RecordedState before, RecordedState after, List<String> removed, Map<String, Object> changed) {
        Object stack = StateCodec.stackSource(after);
        if (!stack.equals(StateCodec.stackSource(before))) {
            changed.put(StateCodec.STACK_FILE, stack);
        }
        changes(before.images(), after.images(), removed, changed);
        changes(before.fleets(), after.fleets(), removed, changed);
    }

    /**
     * One kind's differences, in one pass over both maps side by side: both are sorted by address, and an
     * unchanged record is usually the very object the last state held, so most entries cost two identity checks.
     */
    private static <V> void changes(SortedMap<Address, V> before, SortedMap<Address, V> after, List<String> removed,
                                    Map<String, Object> changed) {
        if (!Objects.equals(before.comparator(), after.comparator())) {
            before.keySet().stream().filter(a -> !after.containsKey(a)).forEach(a -> removed.add(StateCodec.pathOf(a)));
            after.forEach((a, v) -> {
                if (!v.equals(before.get(a))) {
                    changed.put(StateCodec.pathOf(a), v);
                }
            });
            return;
        }
        @SuppressWarnings("unchecked")
        java.util.Comparator<Address> order = after.comparator() == null
                ? java.util.Comparator.naturalOrder() : (java.util.Comparator<Address>) after.comparator();
        java.util.Iterator<Map.Entry<Address, V>> was = before.entrySet().iterator();
        java.util.Iterator<Map.Entry<Address, V>> now = after.entrySet().iterator();
        Map.Entry<Address, V> b = was.hasNext() ? was.next() : null;
        Map.Entry<Address, V> a = now.hasNext() ? now.next() : null;
        while (b != null || a != null) {
            int c = b == null ? 1 : a == null ? -1 : b.getKey() == a.getKey() ? 0 : order.compare(b.getKey(), a.getKey());
            if (c < 0) {
                removed.add(StateCodec.pathOf(b.getKey()));
            } else if (c > 0) {
                changed.put(StateCodec.pathOf(a.getKey()), a.getValue());
            } else if (b.getValue() != a.getValue() && !b.getValue().equals(a.getValue())) {
                changed.put(StateCodec.pathOf(a.getKey()), a.getValue());
            }
            if (c <= 0) {
                b = was.hasNext() ? was.next() : null;
            }
            if (c >= 0) {
                a = now.hasNext() ? now.next() : null;
            }
        }
    }

    /** Puts the blob at {@code path}, inserting it unless the file holds it already; 1 when inserted. */
    private static int insertIfNew(ObjectInserter inserter, ObjectInserter.Formatter hasher, TreeCache tree, String path,
                                   byte[] content) throws IOException {
        ObjectId previous = tree.blob(path);
        if (previous == null) { // a new file: inserting gives its id, no need to hash it twice
            tree.put(path, inserter.insert(Constants.OBJ_BLOB, content));
            return 1;
        }
        ObjectId id = hasher.idFor(Constants.OBJ_BLOB, content);
        if (id.equals(previous)) {
            return 0;
        }
        tree.put(path, inserter.insert(Constants.OBJ_BLOB, content));
        return 1;
    }

    /** Compare-and-set of a ref: from {@code expected} (null: absent) to {@code next} (null: deleted). */
    private static boolean moveRef(Repository r, String name, ObjectId expected, ObjectId next) throws IOException {
        RefUpdate update = r.updateRef(name);
        update.setExpectedOldObjectId(expected == null ? ObjectId.zeroId() : expected);
        update.setForceUpdate(true);
        update.disableRefLog();
        RefUpdate.Result result;
        if (next == null) {
            result = update.delete();
        } else {
            update.setNewObjectId(next);
            result = update.update();
        }
        switch (result) {
            case NEW:
            case FORCED:
            case FAST_FORWARD:
            case NO_CHANGE:
                return true;
            case IO_FAILURE:
                throw new IOException("updating " + name + " failed");
            default:
                return false;
        }
    }

    private static String abbreviate(ObjectId id) {
        return id == null ? "(nothing)" : id.abbreviate(7).name();
    }

    // ---- the remote

    @Override
    public void fetch() throws StateException {
        if (remote == null) {
            return;
        }
        Repository r = open(true);
        ObjectId theirs = fetchRemoteHead(r);
        fetched = true;
        if (theirs == null) {
            return;
        }
        try (RevWalk rw = new RevWalk(r)) {
            ObjectId ours = branchHead(r);
            if (theirs.equals(ours)) {
                return;
            }
            RevCommit theirCommit = rw.parseCommit(theirs);
            if (ours != null) {
                RevCommit ourCommit = rw.parseCommit(ours);
                if (!rw.isMergedInto(ourCommit, theirCommit)) {
                    if (rw.isMergedInto(theirCommit, ourCommit)) {
                        return; // ours is ahead: the next commit pushes it
                    }
                    throw new StateException("state diverged: the local state branch " + branch + " is at "
                            + describe(r, ourCommit) + " and the remote " + remote + " is at "
                            + describe(r, theirCommit) + ", and neither contains the other. imm does not merge "
                            + "state; keep the right one (git in " + directory + ") and reset the other to it");
                }
            }
            if (!moveRef(r, branchRef, ours, theirs)) {
                throw new StateException("the state branch " + branch + " moved while fetching from " + remote
                        + "; another process is writing state without holding the lock");
            }
        } catch (IOException e) {
            throw failure("bring in the remote's state", e);
        }
    }

    /** Fetches every branch of the remote into {@value #TRACKING}; the remote's state branch, or null. */
    private ObjectId fetchRemoteHead(Repository r) throws StateException {
        try (Git git = Git.wrap(r)) {
            FetchResult result = git.fetch().setRemote(remote)
                    .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + "*:" + TRACKING + "*"))
                    .setTagOpt(TagOpt.NO_TAGS)
                    .call();
            Ref advertised = result.getAdvertisedRef(branchRef);
            return advertised == null ? null : advertised.getObjectId();
        } catch (GitAPIException | JGitInternalException e) {
            throw new StateException("cannot fetch state from " + remote + ": " + message(e), e);
        }
    }

    private void push(Repository r, ObjectId previous, ObjectId commit) throws StateException {
        RemoteRefUpdate update = untilDecided(() -> {
            RemoteRefUpdate last = null;
            try (Git git = Git.wrap(r)) {
                for (PushResult result : git.push().setRemote(remote).setForce(false)
                        .setRefSpecs(new RefSpec(branchRef + ":" + branchRef)).call()) {
                    RemoteRefUpdate u = result.getRemoteUpdate(branchRef);
                    last = u == null ? last : u;
                }
            } catch (GitAPIException | JGitInternalException e) {
                throw new StateException("cannot push state to " + remote + ": " + message(e) + "; the state is "
                        + "committed locally at " + abbreviate(commit) + " and goes to the remote with the next commit", e);
            }
            return last;
        });
        RemoteRefUpdate.Status status = update == null ? null : update.getStatus();
        if (status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE) {
            try {
                ObjectId tracked = Optional.ofNullable(r.exactRef(TRACKING + branch)).map(Ref::getObjectId).orElse(null);
                moveRef(r, TRACKING + branch, tracked, commit);
            } catch (IOException e) {
                // only a cache of the remote's branch; the next fetch sets it
            }
            return;
        }
        throw rejected(r, previous, commit, status, update == null ? null : update.getMessage());
    }

    private static final int PUSH_ATTEMPTS = 50;

    @FunctionalInterface
    private interface PushAttempt {
        RemoteRefUpdate push() throws StateException;
    }

    /**
     * Pushes until the remote decides: another push holding the remote's ref lock is a race still being
     * decided, so the push is tried again, and the remote then takes it or refuses it for what it is.
     */
    private static RemoteRefUpdate untilDecided(PushAttempt attempt) throws StateException {
        RemoteRefUpdate update = null;
        for (int n = 0; n < PUSH_ATTEMPTS; n++) {
            update = attempt.push();
            if (!lockedByAnotherPush(update)) {
                break;
            }
            pause(10 + (long) (Math.random() * 40));
        }
        return update;
    }

    /** Whether the remote refused the update only because another push held its ref's lock. */
    private static boolean lockedByAnotherPush(RemoteRefUpdate update) {
        return update != null && update.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON
                && update.getMessage() != null && update.getMessage().contains("lock");
    }

    /**
     * Undoes a commit the remote refused: the local branch goes back to {@code previous}, the commit is kept
     * under {@value #REJECTED}, and the message says who moved the remote.
     */
    private StateException rejected(Repository r, ObjectId previous, ObjectId commit, RemoteRefUpdate.Status status,
                                    String remoteMessage) {
        String kept = REJECTED + commit.name();
        String local;
        try {
            moveRef(r, kept, null, commit);
            local = moveRef(r, branchRef, commit, previous)
                    ? "the local state is back at " + abbreviate(previous)
                    : "the local state branch had moved meanwhile and was left as it is";
        } catch (IOException e) {
            local = "the local state branch could not be reset (" + message(e) + ")";
        }
        String theirs = "";
        try (RevWalk rw = new RevWalk(r)) {
            ObjectId head = fetchRemoteHead(r);
            if (head != null) {
                theirs = " at " + describe(r, rw.parseCommit(head));
            }
        } catch (StateException | IOException e) {
            // who moved the remote is a courtesy; the refusal stands without it
        }
        String what = status == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
                || status == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED
                ? "another apply updated the remote state" + theirs
                : "the remote " + remote + " refused the state update (" + status
                        + (remoteMessage == null ? "" : ": " + remoteMessage) + ")" + theirs;
        return new StateException(what + ": this commit (" + abbreviate(commit) + ") was not pushed and is kept at "
                + kept + "; " + local + "; nothing was overwritten. Fetch, plan again, and apply that plan");
    }

    /** {@code 1a2b3c4 (serial 12) by Name: summary}. */
    private String describe(Repository r, RevCommit c) throws IOException {
        Revision rev = revision(r, c);
        return abbreviate(c) + (rev.serial() >= 0 ? " (serial " + rev.serial() + ")" : "") + " by "
                + c.getAuthorIdent().getName() + ": " + c.getShortMessage();
    }

    // ---- the lock

    private record Held(ObjectId id, LockInfo info) {
    }

    @Override
    public Lock lock(String owner, String operation, Duration lease, Duration waitUpTo) throws StateException {
        Repository r = open(true);
        long deadline = System.nanoTime() + Math.max(0, waitUpTo.toNanos());
        while (true) {
            Held current = readLock(r);
            long now = clock.millis();
            if (current == null || current.info().expiredAt(now)) {
                LockInfo mine = new LockInfo(owner, operation, now, now + lease.toMillis());
                ObjectId blob = insertLock(r, mine);
                if (moveLock(r, current == null ? null : current.id(), blob)) {
                    return new GitLock(r, blob, mine, lease);
                }
                if (System.nanoTime() - deadline >= 0) {
                    Held now2 = readLock(r);
                    if (now2 != null) {
                        throw new StateException(lockedMessage(now2.info(), waitUpTo));
                    }
                    throw new StateException("cannot take the state lock in " + directory + ": its ref is being "
                            + "updated by another process" + (Files.exists(directory.resolve(LOCK_REF + ".lock"))
                            ? " or was left half-updated (remove " + directory.resolve(LOCK_REF + ".lock") + ")" : ""));
                }
                pause(5 + (long) (Math.random() * 20));
                continue;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StateException(lockedMessage(current.info(), waitUpTo));
            }
            pause(Math.min(POLL_MILLIS, Duration.ofNanos(left).toMillis() + 1));
        }
    }

    private static String lockedMessage(LockInfo info, Duration waited) {
        return "state is locked by " + info.owner() + " since " + time(info.startedMillis()) + " for "
                + info.operation() + "; lease ends " + time(info.expiresMillis())
                + (waited.isZero() || waited.isNegative() ? "" : " (waited " + waited.toSeconds() + "s)")
                + ". If that process is gone, `imm unlock` breaks the lock";
    }

    private static String time(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static void pause(long millis) throws StateException {
        try {
            Thread.sleep(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while waiting for the state lock");
        }
    }

    private Held readLock(Repository r) throws StateException {
        if (remote != null) {
            fetchLock(r);
        }
        try {
            Ref ref = r.exactRef(LOCK_REF);
            if (ref == null || ref.getObjectId() == null) {
                return null;
            }
            byte[] content = r.open(ref.getObjectId(), Constants.OBJ_BLOB).getBytes();
            return new Held(ref.getObjectId(), StateCodec.decodeLock(LOCK_REF, content));
        } catch (StateException | IOException e) {
            throw new StateException("the state lock " + LOCK_REF + " in " + directory + " cannot be read ("
                    + message(e) + "); `imm unlock` removes it", e);
        }
    }

    private ObjectId insertLock(Repository r, LockInfo info) throws StateException {
        try (ObjectInserter inserter = r.newObjectInserter()) {
            ObjectId id = inserter.insert(Constants.OBJ_BLOB, StateCodec.encodeLock(info, UUID.randomUUID().toString()));
            inserter.flush();
            return id;
        } catch (IOException e) {
            throw failure("write the state lock", e);
        }
    }

    private boolean moveLock(Repository r, ObjectId expected, ObjectId next) throws StateException {
        try {
            if (remote == null) {
                return moveRef(r, LOCK_REF, expected, next);
            }
            if (!pushLock(r, expected, next)) {
                return false;
            }
            Ref mirror = r.exactRef(LOCK_REF); // the remote took it: the local copy follows
            moveRef(r, LOCK_REF, mirror == null ? null : mirror.getObjectId(), next);
            return true;
        } catch (IOException e) {
            throw failure("update the state lock", e);
        }
    }

    /**
     * With a remote, the lock lives there, so that clones of one state exclude each other: the local
     * {@value #LOCK_REF} mirrors the remote's, fetched before every look at it.
     */
    private void fetchLock(Repository r) throws StateException {
        try {
            ObjectId theirs = null;
            for (Ref ref : Git.lsRemoteRepository().setRemote(remote).call()) {
                if (ref.getName().equals(LOCK_REF)) {
                    theirs = ref.getObjectId();
                }
            }
            Ref ours = r.exactRef(LOCK_REF);
            ObjectId mine = ours == null ? null : ours.getObjectId();
            if (java.util.Objects.equals(theirs, mine)) {
                return;
            }
            if (theirs != null && !r.getObjectDatabase().has(theirs)) {
                try (Git git = Git.wrap(r)) {
                    git.fetch().setRemote(remote).setRefSpecs(new RefSpec("+" + LOCK_REF + ":" + LOCK_REF))
                            .setTagOpt(TagOpt.NO_TAGS).call();
                }
                return;
            }
            moveRef(r, LOCK_REF, mine, theirs);
        } catch (GitAPIException | JGitInternalException | IOException e) {
            throw new StateException("cannot read the state lock from " + remote + ": " + message(e), e);
        }
    }

    /**
     * Moves the remote's lock from {@code expected} to {@code next} (null: removes it), only if it is
     * still {@code expected}: the remote decides, so two clones never both hold it. False when it moved.
     */
    private boolean pushLock(Repository r, ObjectId expected, ObjectId next) throws StateException {
        RemoteRefUpdate update = untilDecided(() -> {
            try (org.eclipse.jgit.transport.Transport transport = org.eclipse.jgit.transport.Transport.open(r, remote)) {
                RemoteRefUpdate u = new RemoteRefUpdate(r, next == null ? (String) null : next.name(), LOCK_REF, true, null,
                        expected == null ? ObjectId.zeroId() : expected);
                transport.push(org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE, List.of(u));
                return u;
            } catch (java.net.URISyntaxException | IOException e) {
                throw new StateException("cannot update the state lock on " + remote + ": " + message(e), e);
            }
        });
        RemoteRefUpdate.Status status = update.getStatus();
        return status == RemoteRefUpdate.Status.OK || status == RemoteRefUpdate.Status.UP_TO_DATE
                || (next == null && status == RemoteRefUpdate.Status.NON_EXISTING);
    }

    @Override
    public Optional<LockInfo> currentLock() throws StateException {
        Repository r = open(remote != null); // with a remote, the lock is there even before the first local write
        return r == null ? Optional.empty() : Optional.ofNullable(readLock(r)).map(Held::info);
    }

    @Override
    public void breakLock() throws StateException {
        Repository r = open(remote != null);
        if (r == null) {
            return;
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Ref ref;
            try {
                ref = r.exactRef(LOCK_REF);
            } catch (IOException e) {
                throw failure("read the state lock", e);
            }
            if (ref == null || moveLock(r, ref.getObjectId(), null)) {
                return;
            }
            pause(10);
        }
        throw new StateException("cannot break the state lock in " + directory + ": it keeps changing");
    }

    @Override
    public void breakLock(LockInfo expected) throws StateException {
        Repository r = open(remote != null);
        if (r == null) {
            return;
        }
        Ref ref;
        try {
            ref = r.exactRef(LOCK_REF);
        } catch (IOException e) {
            throw failure("read the state lock", e);
        }
        if (ref == null) {
            return;
        }
        Optional<LockInfo> now = currentLock();
        if (now.isEmpty() || !now.get().equals(expected) || !moveLock(r, ref.getObjectId(), null)) {
            LockInfo holder = currentLock().orElse(null);
            throw new StateException("the lock changed while it was being broken"
                    + (holder == null ? "" : ": it is now held by " + holder.owner() + " for " + holder.operation())
                    + "; nothing was broken");
        }
    }

    /** A lock this store took; every change to it is a compare-and-set from the blob it last wrote. */
    private final class GitLock implements Lock {
        private final Repository repo;
        private final Duration lease;
        private ObjectId held;
        private LockInfo info;
        private boolean released;

        GitLock(Repository repo, ObjectId held, LockInfo info, Duration lease) {
            this.repo = repo;
            this.held = held;
            this.info = info;
            this.lease = lease;
        }

        @Override
        public synchronized LockInfo info() {
            return info;
        }

        @Override
        public synchronized void renew() throws StateException {
            if (released) {
                throw new StateException("the state lock was already released; it cannot be renewed");
            }
            long now = clock.millis();
            LockInfo next = new LockInfo(info.owner(), info.operation(), info.startedMillis(), now + lease.toMillis());
            ObjectId blob = insertLock(repo, next);
            if (!moveLock(repo, held, blob)) {
                released = true;
                Held other = readLock(repo);
                throw new StateException((other == null ? "the state lock was broken (imm unlock)"
                        : "the state lock was taken over by " + other.info().owner() + " for " + other.info().operation()
                                + " at " + time(other.info().startedMillis()))
                        + " while " + info.operation() + " held it; stop before changing more state");
            }
            held = blob;
            info = next;
        }

        @Override
        public synchronized void release() throws StateException {
            if (released) {
                return;
            }
            released = true;
            moveLock(repo, held, null); // if it is no longer ours, it is not ours to remove
        }
    }
}
