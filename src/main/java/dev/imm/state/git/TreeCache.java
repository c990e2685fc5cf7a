package dev.imm.state.git;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A commit's tree held in memory as directories of entries, so that the next commit writes only the
 * directories on the paths it changes. A step of an apply that rolls one fleet of thousands formats the
 * trees above that fleet's file (each in one pass over its sorted entries) instead of building an index of
 * every file again; a directory nothing changed in keeps its id.
 *
 * <p>Entries are kept in Git's tree order: by the bytes of the name, a directory's name compared as if it
 * ended in {@code /}. They are keyed that way here (files {@code web.json}, directories {@code fleet/}),
 * and code-point order of those keys is that order.
 */
final class TreeCache {
    /** A file's name as the tree spells it (UTF-8), its mode and blob. */
    private record File(byte[] name, FileMode mode, ObjectId id) {
    }

    private static final class Dir {
        final TreeMap<String, Object> entries = new TreeMap<>(TreeCache::compareCodePoints);
        /** The tree's id as last written or read; null once something in it changed. */
        ObjectId id;
        /** Its name in its parent's tree (UTF-8); empty for the root. */
        final byte[] name;

        Dir(String name) {
            this.name = Constants.encode(name);
        }
    }

    private final Dir root = new Dir("");

    private TreeCache() {
    }

    /** No files: the tree of a repository's first commit before anything is added. */
    static TreeCache empty() {
        return new TreeCache();
    }

    /** Every entry of {@code tree}, read in one walk. */
    static TreeCache read(ObjectReader reader, AnyObjectId tree) throws IOException {
        TreeCache cache = new TreeCache();
        cache.root.id = tree.copy();
        Deque<Dir> open = new ArrayDeque<>();
        open.push(cache.root);
        try (TreeWalk walk = new TreeWalk(reader)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                while (open.size() > walk.getDepth() + 1) {
                    open.pop();
                }
                Dir parent = open.peek();
                if (walk.isSubtree()) {
                    Dir dir = new Dir(walk.getNameString());
                    dir.id = walk.getObjectId(0);
                    parent.entries.put(walk.getNameString() + "/", dir);
                    open.push(dir);
                    walk.enterSubtree();
                } else {
                    parent.entries.put(walk.getNameString(), new File(Constants.encode(walk.getNameString()), walk.getFileMode(0),
                            walk.getObjectId(0)));
                }
            }
        }
        return cache;
    }

    /** The id of the tree as last written or read; null when it changed since. */
    ObjectId id() {
        return root.id;
    }

    /** The blob of the file at {@code path}, or null when there is none. */
    ObjectId blob(String path) {
        Dir dir = root;
        int from = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', from)) {
            if (!(dir.entries.get(path.substring(from, slash + 1)) instanceof Dir sub)) {
                return null;
            }
            dir = sub;
            from = slash + 1;
        }
        return dir.entries.get(path.substring(from)) instanceof File file ? file.id() : null;
    }

    /** Sets the regular file at {@code path}, creating the directories it needs. */
    void put(String path, ObjectId blob) {
        Dir dir = root;
        dir.id = null;
        int from = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', from)) {
            String name = path.substring(from, slash);
            dir.entries.remove(name); // a file where a directory goes is replaced, as an index would
            Dir sub = (Dir) dir.entries.computeIfAbsent(name + "/", k -> new Dir(name));
            sub.id = null;
            dir = sub;
            from = slash + 1;
        }
        String name = path.substring(from);
        dir.entries.remove(name + "/");
        Object was = dir.entries.get(name);
        byte[] encoded = was instanceof File file ? file.name() : Constants.encode(name);
        dir.entries.put(name, new File(encoded, FileMode.REGULAR_FILE, blob.copy()));
    }

    /** Removes the file at {@code path}, and the directories it leaves empty; false when there was none. */
    boolean remove(String path) {
        return remove(root, path, 0);
    }

    private static boolean remove(Dir dir, String path, int from) {
        int slash = path.indexOf('/', from);
        if (slash < 0) {
            if (!(dir.entries.get(path.substring(from)) instanceof File)) {
                return false;
            }
            dir.entries.remove(path.substring(from));
            dir.id = null;
            return true;
        }
        String key = path.substring(from, slash + 1);
        if (!(dir.entries.get(key) instanceof Dir sub) || !remove(sub, path, slash + 1)) {
            return false;
        }
        if (sub.entries.isEmpty()) {
            dir.entries.remove(key); // Git keeps no empty directories
        }
        dir.id = null;
        return true;
    }

    /** Every file's path and blob, in tree order. */
    void forEachFile(BiConsumer<String, ObjectId> action) {
        forEachFile(root, "", action);
    }

    private static void forEachFile(Dir dir, String prefix, BiConsumer<String, ObjectId> action) {
        for (Map.Entry<String, Object> e : dir.entries.entrySet()) {
            if (e.getValue() instanceof Dir sub) {
                forEachFile(sub, prefix + e.getKey(), action);
            } else {
                action.accept(prefix + e.getKey(), ((File) e.getValue()).id());
            }
        }
    }

    /** Inserts the trees that changed since the last write (only those) and returns the root's id. */
    ObjectId write(ObjectInserter inserter) throws IOException {
        return write(root, inserter);
    }

    private static ObjectId write(Dir dir, ObjectInserter inserter) throws IOException {
        if (dir.id != null) {
            return dir.id;
        }
        int size = 0;
        for (Object entry : dir.entries.values()) {
            size += entry instanceof Dir sub ? TreeFormatter.entrySize(FileMode.TREE, sub.name.length)
                    : TreeFormatter.entrySize(((File) entry).mode(), ((File) entry).name().length);
        }
        TreeFormatter tree = new TreeFormatter(size); // sized: a big directory does not spill into a temporary buffer
        for (Object entry : dir.entries.values()) {
            if (entry instanceof Dir sub) {
                tree.append(sub.name, FileMode.TREE, write(sub, inserter));
            } else {
                File file = (File) entry;
                tree.append(file.name(), file.mode(), file.id());
            }
        }
        dir.id = inserter.insert(tree);
        return dir.id;
    }

    /** Code-point order, which is the order of the names' UTF-8 bytes that Git sorts by. */
    private static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int k = 0; k < n; k++) {
            char x = a.charAt(k);
            char y = b.charAt(k);
            if (x != y) {
                // UTF-16 order differs from code-point order only where a surrogate meets a character above them
                return Character.isSurrogate(x) || Character.isSurrogate(y)
                        ? Integer.compare(a.codePointAt(k), b.codePointAt(k)) : x - y;
            }
        }
        return a.length() - b.length();
    }
}
