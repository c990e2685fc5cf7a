package dev.imm.lang;

import dev.imm.diag.SourceRange;

/** What a body holds: attributes and nested blocks, in the order written. */
public sealed interface BodyItem permits Attribute, Block {
    SourceRange range();
}
