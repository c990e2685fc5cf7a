package dev.imm.model;

import dev.imm.diag.SourceRange;
import dev.imm.value.Value;
import java.util.List;
import java.util.SortedMap;

/**
 * One provisioning step of a bake, in the order it runs. Files a step references are identified by the
 * SHA-256 of their content: that, not their path, is what the bake depends on.
 */
public sealed interface ProvisionStep {

    SourceRange range();

    /** The step in a few words, for progress: {@code shell script scripts/app.sh}, {@code shell, 2 lines}. */
    String describe();

    /** The file of the stack the step reads (a script or an uploaded file), or null. */
    String stackFile();

    /**
     * Runs commands on the builder: either {@code inline} lines or one {@code script} file (its path as
     * written, and its content's hash), with environment variables (values may be sensitive).
     */
    record Shell(List<String> inline, String scriptPath, String scriptSha256, SortedMap<String, Value> env,
                 SourceRange range) implements ProvisionStep {
        public Shell {
            inline = inline == null ? null : List.copyOf(inline);
            env = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(env));
        }

        @Override
        public String describe() {
            if (scriptPath != null) {
                return "shell script " + scriptPath;
            }
            int lines = inline == null ? 0 : inline.size();
            return "shell, " + lines + (lines == 1 ? " line" : " lines");
        }

        @Override
        public String stackFile() {
            return scriptPath;
        }
    }

    /** Copies a file of the stack to {@code destination} on the builder. */
    record FileUpload(String sourcePath, String sourceSha256, String destination, SourceRange range)
            implements ProvisionStep {
        @Override
        public String describe() {
            return "file " + sourcePath + " → " + destination;
        }

        @Override
        public String stackFile() {
            return sourcePath;
        }
    }
}
