package dev.imm.eval;

import dev.imm.value.Type;
import dev.imm.value.Value;
import java.util.List;

/**
 * A function of the language: its name, the types of its parameters (the last one repeated when
 * {@code variadic}), its result type, a one-line description for help and completion, and its body.
 * {@link Functions#call} checks arity and types and handles unknown and sensitive arguments before the
 * body runs, so a body sees only known, unmarked values of the declared types.
 */
public record BuiltinFunction(String name, List<Type> params, boolean variadic, Type result, String description,
                              Body body) {

    @FunctionalInterface
    public interface Body {
        Value call(List<Value> args, FunctionContext context) throws FunctionError;
    }

    public BuiltinFunction {
        params = List.copyOf(params);
    }

    /** {@code name(string, number...) -> string}, as help and error messages show it. */
    public String signature() {
        StringBuilder s = new StringBuilder(name).append('(');
        for (int i = 0; i < params.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(params.get(i));
            if (variadic && i == params.size() - 1) {
                s.append("...");
            }
        }
        return s.append(") -> ").append(result).toString();
    }
}
