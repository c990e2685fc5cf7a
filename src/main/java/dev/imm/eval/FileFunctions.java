package dev.imm.eval;

import static dev.imm.eval.StringFunctions.string;
import static dev.imm.eval.StringFunctions.wrongType;

import dev.imm.value.Type;
import dev.imm.value.Value;
import java.util.List;

/**
 * The file functions: {@code file fileexists filesha256 templatefile}. Paths are relative to the stack
 * directory (or absolute); the {@link FunctionContext} reads the files and refuses relative paths that lead
 * outside the stack.
 */
final class FileFunctions {
    private FileFunctions() {
    }

    static void register(Functions.Builder b) {
        b.add("file", List.of(Type.STRING), Type.STRING,
                "The content of a UTF-8 text file, relative to the stack directory",
                (args, ctx) -> new Value.Str(ctx.readFile(path("file", args), 0)));
        b.add("fileexists", List.of(Type.STRING), Type.BOOL,
                "Whether a file exists, relative to the stack directory",
                (args, ctx) -> Value.Bool.of(ctx.fileExists(path("fileexists", args), 0)));
        b.add("filesha256", List.of(Type.STRING), Type.STRING,
                "The SHA-256 hash of a file's bytes, as lowercase hex",
                (args, ctx) -> new Value.Str(EncodingFunctions.sha256(ctx.readBytes(path("filesha256", args), 0))));
        b.add("templatefile", List.of(Type.STRING, new Type.MapOf(Type.ANY)), Type.STRING,
                "Renders a template file with ${name} interpolations, taking names from a map",
                (args, ctx) -> {
                    String path = path("templatefile", args);
                    if (!(args.get(1) instanceof Value.MapVal vars)) {
                        throw wrongType("templatefile", 1, "a map of template variables", args.get(1));
                    }
                    return ctx.renderTemplate(ctx.readFile(path, 0), path, vars);
                });
    }

    private static String path(String function, List<Value> args) throws FunctionError {
        String path = string(function, args, 0);
        if (path.isEmpty()) {
            throw new FunctionError(0, function + ": the path is empty", "give a path relative to the stack directory, "
                    + "such as \"files/app.conf\"");
        }
        return path;
    }
}
