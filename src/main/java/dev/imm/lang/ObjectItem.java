package dev.imm.lang;

import dev.imm.diag.SourceRange;

/**
 * One {@code key = value} of an object literal. The key is an {@link Expr.Variable} when written as a bare
 * name (it then stands for that name, not for a variable) or an {@link Expr.Template} when quoted.
 */
public record ObjectItem(Expr key, Expr value, SourceRange range) {

    /** The key's text when it is a bare name or a string without interpolation, else null. */
    public String keyName() {
        if (key instanceof Expr.Variable v) {
            return v.name();
        }
        if (key instanceof Expr.Template t) {
            return t.literalText();
        }
        return null;
    }
}
