package dev.imm.lang;

import dev.imm.diag.SourceRange;
import java.util.List;

/**
 * One parsed {@code .imm} file: its imports and its top-level items in the order written. A file with
 * syntax errors still yields the items that parsed, so later phases can report their own problems too.
 */
public record ConfigFile(String path, List<Import> imports, List<BodyItem> items, SourceRange range) {
    public ConfigFile {
        imports = List.copyOf(imports);
        items = List.copyOf(items);
    }
}
