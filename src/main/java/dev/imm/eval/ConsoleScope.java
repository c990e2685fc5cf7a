package dev.imm.eval;

import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceRange;
import dev.imm.lang.Expr;
import dev.imm.value.Value;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * Evaluates expressions typed at the console against an evaluated stack: {@code var.NAME},
 * {@code local.NAME}, {@code image.NAME}, ... and the stack's imports see what the stack evaluated to.
 */
public final class ConsoleScope {
    private final Evaluation evaluation;
    private final Path directory;
    private final Set<String> namespaces = new TreeSet<>(StackEvaluator.NAMESPACES);

    public ConsoleScope(Evaluation evaluation, Path directory) {
        this.evaluation = evaluation;
        this.directory = directory;
        for (String key : evaluation.values().keySet()) {
            int colon = key.indexOf(':');
            if (colon > 0) {
                namespaces.add(key.substring(0, colon));
            }
        }
    }

    /** Every name a reference can start with: namespaces and import names. */
    public Set<String> namespaces() {
        return namespaces;
    }

    /** The names declared in a namespace ({@code image} gives {@code app}, {@code base}, ...). */
    public Set<String> names(String namespace) {
        Set<String> names = new TreeSet<>();
        for (String key : evaluation.values().keySet()) {
            String local = key.startsWith(namespace + ":") ? key.substring(namespace.length() + 1) : key;
            int dot = local.indexOf('.');
            if (dot < 0) {
                continue;
            }
            String kind = local.substring(0, dot);
            if (key.startsWith(namespace + ":") || (!key.contains(":") && kind.equals(namespace))) {
                names.add(local.substring(dot + 1));
            }
        }
        return names;
    }

    /**
     * What a reference being typed can become: namespaces and functions for a bare word
     * ({@code ima} gives {@code image}), names after {@code ns.} ({@code image.w} gives {@code image.web}),
     * and the attributes of what a reference stands for ({@code image.web.} gives {@code image.web.id}).
     * Functions end with {@code (}.
     */
    public java.util.List<String> complete(String word) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int lastDot = word.lastIndexOf('.');
        if (lastDot > 0 && word.indexOf('.') != lastDot) {
            String base = word.substring(0, lastDot);
            String rest = word.substring(lastDot + 1);
            dev.imm.lang.Parser.ExprResult parsed = dev.imm.lang.Parser.parseExpression(new dev.imm.diag.SourceFile("<completion>", base));
            if (parsed.expr() != null) {
                Value v = dev.imm.value.Values.unmarked(evaluate(parsed.expr(), new Diagnostics()));
                java.util.Collection<String> keys = v instanceof Value.Ref r ? r.attributes().entries().keySet()
                        : v instanceof Value.MapVal m ? m.entries().keySet() : java.util.List.of();
                keys.stream().filter(k -> k.startsWith(rest)).forEach(k -> out.add(base + "." + k));
            }
            return out;
        }
        int dot = word.indexOf('.');
        if (dot > 0) {
            String ns = word.substring(0, dot);
            String rest = word.substring(dot + 1);
            if (namespaces.contains(ns)) {
                names(ns).stream().filter(n -> n.startsWith(rest)).forEach(n -> out.add(ns + "." + n));
            }
            return out;
        }
        namespaces.stream().filter(n -> n.startsWith(word)).forEach(out::add);
        Functions.standard().names().stream().filter(n -> n.startsWith(word)).forEach(n -> out.add(n + "("));
        return out;
    }

    public Value evaluate(Expr expr, Diagnostics diagnostics) {
        Functions functions = Functions.standard();
        ExprEvaluator evaluator = new ExprEvaluator(diagnostics, functions, new ModuleFiles(directory, directory, functions));
        Scope scope = new Scope(new Scope.Resolver() {
            @Override
            public boolean isNamespace(String root) {
                return namespaces.contains(root);
            }

            @Override
            public Value resolve(String root, String name, SourceRange nameRange, SourceRange range) {
                Value v = null;
                if (StackEvaluator.NAMESPACES.contains(root)) {
                    v = evaluation.values().get(root + "." + name);
                } else {
                    for (String kind : new String[] {"component", "rollout", "local"}) {
                        v = v != null ? v : evaluation.values().get(root + ":" + kind + "." + name);
                    }
                }
                if (v == null) {
                    String hint = dev.imm.diag.DidYouMean.hint(name, names(root));
                    return evaluator.error(nameRange, "no " + (root.equals("var") ? "variable" : root) + " \"" + name + "\"", hint);
                }
                return v;
            }

            @Override
            public Set<String> namespaces() {
                return namespaces;
            }
        });
        return evaluator.eval(expr, scope);
    }
}
