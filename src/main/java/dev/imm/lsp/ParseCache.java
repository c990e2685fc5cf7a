package dev.imm.lsp;

import dev.imm.diag.SourceFile;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parse of each file of the stacks being edited, kept while its text stays the same: after an edit
 * to one file of a stack, only that file is parsed again. Keyed by the file's path and compared by its
 * whole text, so a result never outlives the text it was parsed from.
 */
final class ParseCache {
    private record Entry(String text, ParseResult result) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ParseResult parse(SourceFile source) {
        Entry entry = entries.get(source.path());
        if (entry != null && entry.text().equals(source.text())) {
            return entry.result();
        }
        ParseResult result = Parser.parse(source);
        entries.put(source.path(), new Entry(source.text(), result));
        return result;
    }
}
