package dev.imm.state.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.junit.jupiter.api.Test;

/** The incremental tree writer gives the very trees an index of the same files gives, change after change. */
class TreeCacheTest {
    /** Names that sort differently by UTF-16, by bytes, and with a directory's implied slash. */
    private static final List<String> PATHS = List.of("stack.json", "resources/fleet/web.json", "resources/fleet/web[eu].json",
            "resources/fleet/web-a.json", "resources/fleet/web/x.json", "resources/image/app.json", "applies/a1/plan.json",
            "applies/a1/journal.txt", "applies/a10/plan.json", "a.b", "a-b/c", "a/b", "a0", "r\u00e9sum\u00e9.json",
            "\uD834\uDD1E.json", "\uE000.json", "\uFFFD/z.json", "resources/fleet/\uD834\uDD1E[x].json");

    @Test
    void matchesAnIndexOfTheSameFilesThroughPutsAndRemoves() throws Exception {
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
             ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = inserter.newReader()) {
            Random random = new Random(7);
            TreeCache cache = TreeCache.empty();
            Map<String, ObjectId> files = new TreeMap<>();
            for (int round = 0; round < 300; round++) {
                for (int op = 0, n = 1 + random.nextInt(4); op < n; op++) {
                    String path = PATHS.get(random.nextInt(PATHS.size()));
                    if (random.nextInt(3) == 0) {
                        assertEquals(files.remove(path) != null, cache.remove(path), path);
                    } else if (!conflicts(files, path)) {
                        ObjectId blob = inserter.insert(Constants.OBJ_BLOB, (path + round).getBytes(StandardCharsets.UTF_8));
                        files.put(path, blob);
                        cache.put(path, blob);
                    }
                }
                ObjectId written = cache.write(inserter);
                assertEquals(indexTree(files, inserter), written, "round " + round + ": " + files.keySet());
                assertEquals(written, cache.id());
                Map<String, ObjectId> seen = new TreeMap<>();
                TreeCache.read(reader, written).forEachFile(seen::put);
                assertEquals(files, seen);
                files.forEach((path, blob) -> assertEquals(blob, cache.blob(path)));
            }
        }
    }

    @Test
    void removingTheLastFileOfADirectoryRemovesTheDirectory() throws Exception {
        try (InMemoryRepository repo = new InMemoryRepository(new DfsRepositoryDescription("t"));
             ObjectInserter inserter = repo.newObjectInserter()) {
            TreeCache cache = TreeCache.empty();
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, new byte[0]);
            cache.put("stack.json", blob);
            ObjectId alone = cache.write(inserter);
            cache.put("resources/fleet/web.json", blob);
            assertNull(cache.id(), "a change forgets the id");
            cache.write(inserter);
            assertTrue(cache.remove("resources/fleet/web.json"));
            assertFalse(cache.remove("resources/fleet/web.json"));
            assertNull(cache.blob("resources/fleet/web.json"));
            assertEquals(alone, cache.write(inserter));
        }
    }

    /** Whether the path is a file where another path needs a directory, or the other way round. */
    private static boolean conflicts(Map<String, ObjectId> files, String path) {
        return files.keySet().stream().anyMatch(p -> !p.equals(path) && (p.startsWith(path + "/") || path.startsWith(p + "/")));
    }

    private static ObjectId indexTree(Map<String, ObjectId> files, ObjectInserter inserter) throws Exception {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        files.forEach((path, blob) -> {
            DirCacheEntry e = new DirCacheEntry(path);
            e.setFileMode(FileMode.REGULAR_FILE);
            e.setObjectId(blob);
            builder.add(e);
        });
        builder.finish();
        return index.writeTree(inserter);
    }
}
