package dev.imm.lang;

/** The kinds of literal the lexer recognises. */
public enum LiteralKind {
    NUMBER,
    DURATION,
    PERCENT,
    BOOL,
    NULL
}
