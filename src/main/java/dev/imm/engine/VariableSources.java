package dev.imm.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where variable values come from, as the command line gave them: {@code -var name=value} in order,
 * {@code -var-file} paths in order, and the environment (for {@code IMM_VAR_name}). Later sources win:
 * defaults, then the environment, then var files, then {@code -var}.
 */
public record VariableSources(List<String> assignments, List<Path> files, Map<String, String> environment) {
    public static final VariableSources NONE = new VariableSources(List.of(), List.of(), Map.of());

    public VariableSources {
        assignments = List.copyOf(assignments);
        files = List.copyOf(files);
        environment = Map.copyOf(environment);
    }
}
