package dev.imm.eval;

import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.lang.Parser;
import dev.imm.value.Value;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files a module's expressions and provisioning steps may read: paths are relative to the module's
 * directory and may not lead out of it; an absolute path is taken as given. The standard library has no
 * directory and reads no files. Also renders templates for {@code templatefile}.
 */
final class ModuleFiles implements FunctionContext {
    private final Path directory;
    private final Path stackDirectory;
    private final Functions functions;

    /**
     * @param directory      what the module's relative paths start from (null: reads no files)
     * @param stackDirectory the stack's directory, which paths handed to the cloud are relative to
     */
    ModuleFiles(Path directory, Path stackDirectory, Functions functions) {
        this(directory, stackDirectory, functions, null);
    }

    /** Like the above, adding every path it resolves to {@code read} (when not null). */
    ModuleFiles(Path directory, Path stackDirectory, Functions functions, java.util.Set<String> read) {
        this.directory = directory;
        this.stackDirectory = stackDirectory;
        this.functions = functions;
        this.read = read;
    }

    private final java.util.Set<String> read;

    /**
     * A path of this module as the stack's directory sees it: {@code files/a.conf} of an import in
     * {@code shared/} is {@code shared/files/a.conf}. Absolute paths stay as they are.
     */
    String stackPath(String path) {
        if (directory == null || stackDirectory == null || Path.of(path).isAbsolute()) {
            return path;
        }
        Path file = directory.toAbsolutePath().normalize().resolve(path).normalize();
        Path relative = stackDirectory.toAbsolutePath().normalize().relativize(file);
        return relative.toString().replace('\\', '/');
    }

    /** The file a path names, checked against the rules. */
    Path resolve(String path, int argument) throws FunctionError {
        if (directory == null) {
            throw new FunctionError(argument, "the standard library reads no files");
        }
        Path given = Path.of(path);
        if (given.isAbsolute()) {
            return noted(given.normalize());
        }
        Path base = directory.toAbsolutePath().normalize();
        Path file = base.resolve(given).normalize();
        if (!file.startsWith(base)) {
            throw new FunctionError(argument, "\"" + path + "\" is outside the stack directory",
                    "a relative path may not leave the directory of the file it is written in; give an absolute path to read elsewhere");
        }
        return noted(file);
    }

    private Path noted(Path file) {
        if (read != null) {
            read.add(file.toAbsolutePath().normalize().toString());
        }
        return file;
    }

    @Override
    public byte[] readBytes(String path, int argument) throws FunctionError {
        Path file = resolve(path, argument);
        if (!Files.isRegularFile(file)) {
            throw new FunctionError(argument, "no file \"" + path + "\"",
                    "paths are relative to the directory of the file they are written in");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FunctionError(argument, "cannot read \"" + path + "\": " + e.getMessage());
        }
    }

    @Override
    public String readFile(String path, int argument) throws FunctionError {
        byte[] bytes = readBytes(path, argument);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FunctionError(argument, "\"" + path + "\" is not UTF-8 text", "use filesha256 or base64 for binary files");
        }
    }

    @Override
    public boolean fileExists(String path, int argument) throws FunctionError {
        return Files.isRegularFile(resolve(path, argument));
    }

    @Override
    public Value renderTemplate(String text, String path, Value.MapVal vars) throws FunctionError {
        Parser.ExprResult parsed = Parser.parseTemplate(new SourceFile(path, text));
        if (parsed.expr() == null) {
            throw new FunctionError(0, "template \"" + path + "\" has a syntax error: " + parsed.diagnostics().get(0).summary()
                    + " at line " + parsed.diagnostics().get(0).subject().startLine());
        }
        Map<String, Value> names = new TreeMap<>(vars.entries());
        Diagnostics inner = new Diagnostics();
        Scope scope = Scope.constants().with(names);
        Value result = new ExprEvaluator(inner, functions, this).eval(parsed.expr(), scope);
        if (inner.hasErrors()) {
            var first = inner.sorted().get(0);
            throw new FunctionError(1, "template \"" + path + "\": " + first.summary() + " at line "
                    + first.subject().startLine(), first.hint());
        }
        return result;
    }
}
