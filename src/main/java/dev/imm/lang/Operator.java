package dev.imm.lang;

/** Unary and binary operators with their spelling and binding strength (higher binds tighter). */
public enum Operator {
    NOT("!", 7),
    NEGATE("-", 7),
    MULTIPLY("*", 6),
    DIVIDE("/", 6),
    ADD("+", 5),
    SUBTRACT("-", 5),
    LESS("<", 4),
    LESS_EQUAL("<=", 4),
    GREATER(">", 4),
    GREATER_EQUAL(">=", 4),
    EQUAL("==", 3),
    NOT_EQUAL("!=", 3),
    AND("&&", 2),
    OR("||", 1);

    private final String symbol;
    private final int precedence;

    Operator(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }
}
