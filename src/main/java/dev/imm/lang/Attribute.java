package dev.imm.lang;

import dev.imm.diag.SourceRange;

/** {@code name = value}. */
public record Attribute(String name, SourceRange nameRange, Expr value, SourceRange range) implements BodyItem {
}
