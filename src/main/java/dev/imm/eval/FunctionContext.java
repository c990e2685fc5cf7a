package dev.imm.eval;

import dev.imm.value.Value;

/**
 * What a built-in function may reach besides its arguments: files of the stack (never the clock, the
 * environment or the network), and the template engine for {@code templatefile}.
 */
public interface FunctionContext {

    /**
     * The text of a file named relative to the stack directory (or absolute). A relative path that leads
     * outside the stack directory is refused.
     *
     * @throws FunctionError (argument {@code argument}) when the file is outside the stack, missing,
     *                       unreadable or not UTF-8
     */
    String readFile(String path, int argument) throws FunctionError;

    /** The bytes of a file, under the same rules as {@link #readFile}. */
    byte[] readBytes(String path, int argument) throws FunctionError;

    /** Whether the file exists (a path outside the stack is refused). */
    boolean fileExists(String path, int argument) throws FunctionError;

    /** Renders {@code text} (read from {@code path}) as a template with {@code vars} in scope. */
    Value renderTemplate(String text, String path, Value.MapVal vars) throws FunctionError;
}
