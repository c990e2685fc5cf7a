package dev.imm.cli;

import dev.imm.engine.VariableSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code -var} and {@code -var-file}, shared by every command that evaluates a stack. */
final class VariableOptions {
    @Option(names = {"-var", "--var"}, paramLabel = "NAME=VALUE",
            description = "Set a variable (repeatable; wins over var files and IMM_VAR_NAME).")
    List<String> assignments = new ArrayList<>();

    @Option(names = {"-var-file", "--var-file"}, paramLabel = "FILE",
            description = "Read variables from a .imm (name = value lines) or .json file (repeatable).")
    List<Path> files = new ArrayList<>();

    VariableSources sources(Map<String, String> environment) {
        return new VariableSources(assignments, files, environment);
    }
}
