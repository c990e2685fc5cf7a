package dev.imm.eval;

import dev.imm.value.Value;

/**
 * A value given for a variable from outside the stack. From {@code -var} and {@code IMM_VAR_name} it is
 * {@code text}, read as the variable's type wants (a string as it is; anything else as an expression);
 * from a var file it is already a {@code value}. {@code origin} says where it came from, for messages.
 */
public record VariableInput(String name, String text, Value value, String origin) {

    public static VariableInput text(String name, String text, String origin) {
        return new VariableInput(name, text, null, origin);
    }

    public static VariableInput value(String name, Value value, String origin) {
        return new VariableInput(name, null, value, origin);
    }
}
