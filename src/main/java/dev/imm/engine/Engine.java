package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.eval.VarFiles;
import dev.imm.eval.VariableInput;
import dev.imm.model.SourceResolver;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The facade the command line and the console call: each operation takes a stack directory and returns
 * its result with its diagnostics. It never prints.
 */
public final class Engine {
    static final String ENV_PREFIX = "IMM_VAR_";

    /**
     * Reads, parses and evaluates the stack in {@code dir} and reports every problem at once. Variables
     * without a value stay unknown, and so do bake hashes whose source only the cloud can resolve.
     */
    public Validation validate(Path dir, VariableSources variables) {
        return validate(dir, variables, SourceResolver.NONE);
    }

    public Validation validate(Path dir, VariableSources variables, SourceResolver resolver) {
        Diagnostics diagnostics = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(diagnostics);
        Module root = loader.loadStack(dir);
        SourceSet sources = new SourceSet();
        Evaluation evaluation = null;
        if (root != null) {
            Map<String, VariableInput> inputs = inputs(variables, diagnostics);
            evaluation = StackEvaluator.evaluate(root, new StackEvaluator.Options(inputs, false, resolver), diagnostics);
        }
        loader.sources().values().forEach(sources::add);
        int files = root == null ? 0 : root.files().size();
        return new Validation(diagnostics.sorted(), sources, files, evaluation);
    }

    /** Merges the variable sources; later ones win: environment, then var files, then -var. */
    static Map<String, VariableInput> inputs(VariableSources sources, Diagnostics diagnostics) {
        Map<String, VariableInput> inputs = new LinkedHashMap<>();
        new TreeMap<>(sources.environment()).forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String variable = name.substring(ENV_PREFIX.length());
                inputs.put(variable, VariableInput.text(variable, value, "the environment variable " + name));
            }
        });
        for (Path file : sources.files()) {
            inputs.putAll(VarFiles.read(file, diagnostics));
        }
        for (String assignment : sources.assignments()) {
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                diagnostics.add(Diagnostic.error(null, "-var needs NAME=VALUE, got \"" + assignment + "\"")
                        .withDetail("For example: -var env=prod or -var 'zones=[\"a\", \"b\"]'."));
                continue;
            }
            String name = assignment.substring(0, eq);
            inputs.put(name, VariableInput.text(name, assignment.substring(eq + 1), "-var " + name));
        }
        return inputs;
    }
}
