package dev.imm.engine;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.eval.Evaluation;
import dev.imm.eval.Module;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.StackEvaluator;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ConfigFile;
import dev.imm.lang.Expr;
import dev.imm.model.Address;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImageSpec;
import dev.imm.model.SourceResolver;
import dev.imm.model.SourceSpec;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the stack's images, components, rollouts and fleets depend on ({@code imm graph}): a fleet on its
 * image and rollout, an image on the image it is layered on and on its components, a rollout on the
 * rollout it extends. The nodes are the stack's own declarations and, from its imports, only what they
 * depend on; both sorted by address. Empty (with diagnostics) when the stack has errors. Variables without
 * a value stay unknown, as in {@code validate}; a block that needs one is a node without edges.
 */
public record ResourceGraph(String stack, SortedSet<Address> nodes, SortedMap<Address, SortedSet<Address>> edges,
                            List<Diagnostic> diagnostics, SourceSet sources) {
    private static final Set<String> KINDS = Set.of("image", "component", "rollout", "fleet");

    public ResourceGraph {
        nodes = Collections.unmodifiableSortedSet(new TreeSet<>(nodes));
        SortedMap<Address, SortedSet<Address>> copy = new TreeMap<>();
        edges.forEach((from, to) -> copy.put(from, Collections.unmodifiableSortedSet(new TreeSet<>(to))));
        edges = Collections.unmodifiableSortedMap(copy);
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public static ResourceGraph read(Path dir, VariableSources variables) {
        Stack stack = new Stack(dir);
        Diagnostics diagnostics = new Diagnostics();
        SourceSet sources = new SourceSet();
        ModuleLoader loader = new ModuleLoader(diagnostics);
        Module root = loader.loadStack(dir);
        Evaluation evaluation = null;
        if (root != null) {
            evaluation = StackEvaluator.evaluate(root,
                    new StackEvaluator.Options(Engine.inputs(variables, diagnostics), false, SourceResolver.NONE), diagnostics);
        }
        loader.sources().values().forEach(sources::add);
        if (root == null || diagnostics.hasErrors() || evaluation == null || evaluation.desired() == null) {
            return new ResourceGraph(stack.name(), new TreeSet<>(), new TreeMap<>(), diagnostics.sorted(), sources);
        }
        DesiredState desired = evaluation.desired();
        SortedMap<Address, SortedSet<Address>> all = new TreeMap<>();
        for (FleetSpec fleet : desired.fleets().values()) {
            edge(all, fleet.address(), fleet.image());
            edge(all, fleet.address(), fleet.rollout());
        }
        for (ImageSpec image : desired.images().values()) {
            if (image.source() instanceof SourceSpec.Layered layered) {
                edge(all, image.address(), layered.image());
            }
            image.components().forEach(c -> edge(all, image.address(), c));
        }
        extensions(root, desired, all, Collections.newSetFromMap(new IdentityHashMap<>()));

        Deque<Address> work = new ArrayDeque<>();
        for (Map<Address, ?> declared : List.of(desired.images(), desired.components(), desired.rollouts(),
                desired.fleets(), desired.pending())) {
            declared.keySet().stream().filter(a -> !a.isImported() && KINDS.contains(a.kind())).forEach(work::add);
        }
        SortedSet<Address> nodes = new TreeSet<>();
        while (!work.isEmpty()) {
            Address next = work.pop();
            if (nodes.add(next)) {
                work.addAll(all.getOrDefault(next, Collections.emptySortedSet()));
            }
        }
        SortedMap<Address, SortedSet<Address>> edges = new TreeMap<>(all);
        edges.keySet().retainAll(nodes);
        return new ResourceGraph(stack.name(), nodes, edges, diagnostics.sorted(), sources);
    }

    private static void edge(SortedMap<Address, SortedSet<Address>> edges, Address from, Address to) {
        if (to != null) {
            edges.computeIfAbsent(from, a -> new TreeSet<>()).add(to);
        }
    }

    /**
     * {@code extends} of every rollout, read from the syntax (the decoded policy keeps only the result):
     * {@code rollout.base} names a rollout of the same module, {@code rollouts.canary} one of an import.
     */
    private static void extensions(Module module, DesiredState desired, SortedMap<Address, SortedSet<Address>> edges,
                                   Set<Module> seen) {
        if (!seen.add(module)) {
            return;
        }
        for (ConfigFile file : module.files()) {
            for (BodyItem item : file.items()) {
                if (!(item instanceof Block block) || !block.type().equals("rollout") || block.labels().size() != 1) {
                    continue;
                }
                Address self = new Address(module.name(), "rollout", block.labels().get(0).value(), null);
                for (Attribute attribute : block.attributes()) {
                    if (attribute.name().equals("extends") && attribute.value() instanceof Expr.GetAttr get
                            && get.object() instanceof Expr.Variable root) {
                        Module owner = root.name().equals("rollout") ? module : module.imports().get(root.name());
                        Address parent = owner == null ? null : new Address(owner.name(), "rollout", get.name(), null);
                        if (parent != null && desired.rollouts().containsKey(parent)) {
                            edge(edges, self, parent);
                        }
                    }
                }
            }
        }
        module.imports().values().forEach(m -> extensions(m, desired, edges, seen));
    }
}
