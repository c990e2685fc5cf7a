package dev.imm.lang;

import dev.imm.diag.SourceRange;

/** {@code import "path" [as alias]}; {@code alias} is null when not written. */
public record Import(String path, SourceRange pathRange, String alias, SourceRange aliasRange,
                     SourceRange range) {
}
