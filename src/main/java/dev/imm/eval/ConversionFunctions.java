package dev.imm.eval;

import dev.imm.value.Type;
import dev.imm.value.Value;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The explicit conversions: {@code tostring tonumber toduration topercent}. A value that already has the
 * type passes unchanged, and {@code null} stays {@code null}, as in Terraform.
 */
final class ConversionFunctions {
    private ConversionFunctions() {
    }

    static void register(Functions.Builder b) {
        b.add("tostring", List.of(Type.ANY), Type.STRING,
                "Converts a string, number, bool, duration or percent to a string",
                (args, ctx) -> tostring(args.get(0)));
        b.add("tonumber", List.of(Type.ANY), Type.NUMBER,
                "Converts a number or a string such as \"42\" to a number",
                (args, ctx) -> convert("tonumber", "a number", args.get(0), Conversions::toNumber,
                        "write a number such as 42, or a string such as \"3.5\""));
        b.add("toduration", List.of(Type.ANY), Type.DURATION,
                "Converts a duration or a string such as \"1h30m\" to a duration",
                (args, ctx) -> convert("toduration", "a duration", args.get(0), Conversions::toDuration,
                        "write a duration such as 90s, or a string such as \"1h30m\" (units ms s m h d)"));
        b.add("topercent", List.of(Type.ANY), Type.PERCENT,
                "Converts a percent, a string such as \"12.5%\", or a number n (meaning n%) to a percent",
                (args, ctx) -> convert("topercent", "a percent", args.get(0), Conversions::toPercent,
                        "write a percent such as 10%, a string such as \"12.5%\", or a number such as 12.5"));
    }

    static Value tostring(Value v) throws FunctionError {
        if (v instanceof Value.Null) {
            return v;
        }
        if (Conversions.hasText(v)) {
            return new Value.Str(Conversions.text(v));
        }
        if (v instanceof Value.Ref r) {
            throw new FunctionError(0, "tostring: cannot convert the " + r.kind() + " " + r.address() + " to a string",
                    r.kind().equals("image") || r.kind().equals("fleet")
                            ? "use one of its attributes, such as " + r.address() + ".id"
                            : "use one of its attributes instead");
        }
        throw new FunctionError(0, "tostring: cannot convert " + Conversions.describe(v) + " to a string",
                "use jsonencode to turn a list or map into text");
    }

    private static Value convert(String function, String wanted, Value v, Function<Value, Optional<Value>> how,
                                 String hint) throws FunctionError {
        if (v instanceof Value.Null) {
            return v;
        }
        Optional<Value> converted = how.apply(v);
        if (converted.isPresent()) {
            return converted.get();
        }
        throw new FunctionError(0, function + ": cannot convert " + Conversions.describe(v) + " to " + wanted, hint);
    }
}
