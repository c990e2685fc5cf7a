package dev.imm.engine;

import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.model.ProviderConfig;
import dev.imm.model.SourceResolver;
import dev.imm.model.StateConfig;

/**
 * The {@code provider} and {@code state} blocks of a stack, for the commands that compare the recorded
 * state with the cloud without planning (refresh, drift): the stack is evaluated as {@code validate} does,
 * so variables without a value stay unknown instead of being required. Null (with diagnostics) when the
 * stack has errors: guessing the cloud of a broken stack could read the wrong one.
 */
record StackSettings(ProviderConfig provider, StateConfig state) {

    static StackSettings read(Stack stack, VariableSources variables, Diagnostics diagnostics, SourceSet sources) {
        Diagnostics found = new Diagnostics();
        ModuleLoader loader = new ModuleLoader(found);
        Module root = loader.loadStack(stack.directory());
        loader.sources().values().forEach(sources::add);
        Evaluation evaluation = null;
        if (root != null) {
            evaluation = StackEvaluator.evaluate(root,
                    new StackEvaluator.Options(Engine.inputs(variables, found), false, SourceResolver.NONE), found);
        }
        diagnostics.addAll(found);
        if (found.hasErrors() || evaluation == null || evaluation.desired() == null) {
            return null;
        }
        return new StackSettings(evaluation.desired().provider(), evaluation.desired().state());
    }
}
