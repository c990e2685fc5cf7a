package dev.imm.cli;

import dev.imm.engine.VariableSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code -var} and {@code -var-file}, shared by every command that evaluates a stack. */
final class VariableOptions {
    List<String> assignments = new ArrayList<>();
    List<Path> files = new ArrayList<>();

    void addTo(CommandSpec spec) {
        spec.addOption(Model.repeatable("-var, --var", "NAME=VALUE",
                "Set a variable (repeatable; wins over var files and IMM_VAR_NAME).", String.class,
                () -> assignments, v -> assignments = v).build());
        spec.addOption(Model.repeatable("-var-file, --var-file", "FILE",
                "Read variables from a .imm (name = value lines) or .json file (repeatable).", Path.class,
                () -> files, v -> files = v).build());
    }

    VariableSources sources(Map<String, String> environment) {
        return new VariableSources(assignments, files, environment);
    }
}
