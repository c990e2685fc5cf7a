package dev.imm.lsp;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;

/** The documents the editor has open, with their unsaved text, kept up to date with incremental changes. */
final class Documents {
    private final Map<Path, String> open = new HashMap<>();

    /**
     * The file a document is, or null for one that is not a file of a stack: another scheme
     * ({@code untitled:}), or a path with no directory. Such documents are ignored.
     */
    static Path path(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (!"file".equalsIgnoreCase(parsed.getScheme())) {
                return null;
            }
            Path path = Path.of(parsed).toAbsolutePath().normalize();
            return path.getParent() == null ? null : path;
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    synchronized void open(String uri, String text) {
        Path path = path(uri);
        if (path != null) {
            open.put(path, text);
        }
    }

    synchronized void close(String uri) {
        Path path = path(uri);
        if (path != null) {
            open.remove(path);
        }
    }

    /** Applies changes in order: a change without a range replaces the whole text. */
    synchronized void change(String uri, List<TextDocumentContentChangeEvent> changes) {
        Path path = path(uri);
        if (path == null) {
            return;
        }
        String text = open.getOrDefault(path, "");
        for (TextDocumentContentChangeEvent change : changes) {
            if (change.getRange() == null) {
                text = change.getText();
            } else {
                int from = Positions.index(text, change.getRange().getStart());
                int to = Math.max(from, Positions.index(text, change.getRange().getEnd()));
                text = text.substring(0, from) + change.getText() + text.substring(to);
            }
        }
        open.put(path, text);
    }

    synchronized String text(Path path) {
        return open.get(path);
    }

    /** Every open document's text by path: what a stack is analysed with instead of the files on disk. */
    synchronized Map<Path, String> overlay() {
        return Map.copyOf(open);
    }
}
