package dev.imm.lang;

import dev.imm.diag.SourceRange;

/** A piece of a string or heredoc: literal text (escapes decoded) or a {@code ${…}} interpolation. */
public sealed interface TemplatePart {

    SourceRange range();

    record Text(String text, SourceRange range) implements TemplatePart {
    }

    record Interpolation(Expr expr, SourceRange range) implements TemplatePart {
    }
}
