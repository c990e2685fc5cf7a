package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.diag.Severity;
import dev.imm.diag.SourceRange;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ConfigFile;
import dev.imm.lang.Expr;
import dev.imm.model.Address;
import dev.imm.model.CheckSpec;
import dev.imm.model.ComponentSpec;
import dev.imm.model.DesiredState;
import dev.imm.model.FleetSpec;
import dev.imm.model.ImageSpec;
import dev.imm.model.OutputSpec;
import dev.imm.model.ProviderConfig;
import dev.imm.model.RolloutPolicy;
import dev.imm.model.SourceResolver;
import dev.imm.model.StateConfig;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Evaluates a loaded stack into the {@link DesiredState}. Every declaration (a variable, a local, a
 * block) is a node; the references in its expressions are its edges; nodes are evaluated in dependency
 * order, so each sees the values it refers to. A cycle is one error naming its members. Evaluation goes on
 * past errors, so all of them are reported in one run.
 */
public final class StackEvaluator {
    /** The names a reference can start with besides an import's. */
    public static final Set<String> NAMESPACES = Set.of("var", "local", "image", "container", "component", "rollout", "fleet");

    /**
     * What evaluation takes from outside the stack. {@code imageIds} maps bake hashes to the ids of images
     * baked with them, so that {@code image.NAME.id} is known wherever the image it names exists.
     * {@code containerRefs} pins container images to given references by address ({@code container.app}),
     * whatever their inputs: a rollback evaluates the stack with the containers of the revision it goes back to.
     */
    public record Options(Map<String, VariableInput> variables, boolean requireVariables, SourceResolver resolver,
                          Map<String, String> imageIds, Map<String, String> containerRefs) {
        public static final Options VALIDATE = new Options(Map.of(), false, SourceResolver.NONE);

        public Options(Map<String, VariableInput> variables, boolean requireVariables, SourceResolver resolver) {
            this(variables, requireVariables, resolver, Map.of());
        }

        public Options(Map<String, VariableInput> variables, boolean requireVariables, SourceResolver resolver,
                       Map<String, String> imageIds) {
            this(variables, requireVariables, resolver, imageIds, Map.of());
        }

        public Options {
            imageIds = Map.copyOf(imageIds);
            containerRefs = Map.copyOf(containerRefs);
        }
    }

    /** A declaration: one block, or one attribute of a {@code locals} block. */
    record Node(String key, String kind, String name, Module module, Block block, Attribute local) {
        SourceRange subject() {
            return local != null ? local.nameRange() : block.headerRange();
        }

        Address address() {
            return new Address(module.name(), kind, name, null);
        }
    }

    private final Diagnostics diagnostics;
    private final Options options;
    private final Functions functions = Functions.standard();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Map<Module, ModuleContext> contexts = new java.util.IdentityHashMap<>();
    /** Every path the modules' expressions and steps read ({@link Evaluation#filesRead}). */
    private final java.util.Set<String> filesRead = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Decoder decoder;
    private final ContainerBlocks containers;
    /** Whether any container is declared: only then do fleets look for the containers they use. */
    private boolean declaresContainers;
    /** Declarations and the references between them, once collected. */
    private DependencyGraph<String> graph = new DependencyGraph<>();
    private ProviderConfig provider = ProviderConfig.SIMULATED;
    /** The stack's directory: paths of files that steps upload are given relative to it. */
    private java.nio.file.Path stackDirectory;
    private StateConfig state = StateConfig.LOCAL;

    private StackEvaluator(Diagnostics diagnostics, Options options) {
        this.diagnostics = diagnostics;
        this.options = options;
        this.decoder = new Decoder(diagnostics, options.resolver(), options.imageIds());
        this.containers = new ContainerBlocks(decoder, options.containerRefs());
    }

    public static Evaluation evaluate(Module root, Options options, Diagnostics diagnostics) {
        return new StackEvaluator(diagnostics, options).run(root);
    }

    /** Per module: its scope, file access and the readers that use them. */
    private final class ModuleContext {
        final Module module;
        final ModuleFiles files;
        final ExprEvaluator evaluator;
        final BlockReader reader;
        final Scope scope;

        ModuleContext(Module module) {
            this.module = module;
            this.files = new ModuleFiles(module.directory(), stackDirectory, functions, filesRead);
            this.evaluator = new ExprEvaluator(diagnostics, functions, files);
            this.reader = new BlockReader(diagnostics, evaluator);
            this.scope = new Scope(new Scope.Resolver() {
                @Override
                public boolean isNamespace(String root) {
                    return NAMESPACES.contains(root) || module.imports().containsKey(root);
                }

                @Override
                public Value resolve(String root, String name, SourceRange nameRange, SourceRange range) {
                    String key = target(module, root, name);
                    Value v = key == null ? null : values.get(key);
                    return v != null ? v : ExprEvaluator.ERROR; // a missing target was reported with the graph
                }

                @Override
                public Set<String> namespaces() {
                    Set<String> all = new TreeSet<>(NAMESPACES);
                    all.addAll(module.imports().keySet());
                    return all;
                }
            });
        }
    }

    private ModuleContext context(Module module) {
        return contexts.computeIfAbsent(module, ModuleContext::new);
    }

    // ---- collecting declarations ----

    private Evaluation run(Module root) {
        stackDirectory = root.directory();
        collect(root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
        checkInputs();
        graph = new DependencyGraph<>();
        for (Node node : nodes.values()) {
            graph.addNode(node.key());
            for (References.Reference ref : references(node)) {
                String target = targetOrReport(node, ref);
                if (target != null && !(node.kind().equals("var") && target.equals(node.key()))) {
                    graph.addEdge(node.key(), target);
                }
            }
        }
        DependencyGraph.Order<String> order = graph.order();
        for (List<String> cycle : order.cycles()) {
            reportCycle(cycle, graph);
        }
        for (String key : order.order()) {
            evaluate(nodes.get(key));
        }
        return new Evaluation(desiredState(), new TreeMap<>(values), new java.util.TreeSet<>(filesRead));
    }

    /** A value given for a variable that is not declared: an error from -var, a warning from a file. */
    private void checkInputs() {
        List<String> declared = new ArrayList<>();
        nodes.values().stream().filter(n -> n.kind().equals("var")).forEach(n -> declared.add(n.name()));
        for (VariableInput input : new TreeMap<>(options.variables()).values()) {
            if (nodes.containsKey("var." + input.name()) || input.origin().startsWith("the environment")) {
                continue;
            }
            String hint = DidYouMean.hint(input.name(), declared);
            Diagnostic d = new Diagnostic(input.origin().startsWith("-var") ? Severity.ERROR : Severity.WARNING,
                    "no variable \"" + input.name() + "\" is declared", "", hint, null);
            diagnostics.add(d.withDetail(input.origin() + " sets it, but the stack declares no such variable."
                    + (hint.isEmpty() ? "" : " " + hint.substring(0, 1).toUpperCase(Locale.ROOT) + hint.substring(1))));
        }
    }

    private void collect(Module module, Set<Module> seen) {
        if (!seen.add(module)) {
            return;
        }
        for (Module imported : module.imports().values()) {
            collect(imported, seen);
        }
        String prefix = module.isRoot() ? "" : module.name() + ":";
        for (ConfigFile file : module.files()) {
            for (BodyItem item : file.items()) {
                if (item instanceof Attribute a) {
                    diagnostics.add(Diagnostic.error(a.nameRange(), "attribute \"" + a.name() + "\" outside of any block")
                            .withHint("values of the stack go in locals { " + a.name() + " = ... }"));
                    continue;
                }
                Block b = (Block) item;
                if (!Schemas.TOP_LEVEL.containsKey(b.type())) {
                    String hint = DidYouMean.hint(b.type(), Schemas.TOP_LEVEL.keySet());
                    diagnostics.add(Diagnostic.error(b.typeRange(), "unknown block type \"" + b.type() + "\"")
                            .withHint(hint.isEmpty() ? "blocks are " + String.join(", ", Schemas.TOP_LEVEL.keySet()) : hint));
                    continue;
                }
                if (!module.isRoot() && !Schemas.IMPORTABLE.contains(b.type())) {
                    diagnostics.add(Diagnostic.error(b.typeRange(), "an imported file cannot declare " + b.type() + " blocks")
                            .withHint("imported files share components, rollouts and locals"));
                    continue;
                }
                declare(module, prefix, b);
            }
        }
    }

    private void declare(Module module, String prefix, Block b) {
        switch (b.type()) {
            case "locals":
                context(module).reader.read(b, Schemas.LOCALS, "locals");
                for (Attribute a : b.attributes()) {
                    add(new Node(prefix + "local." + a.name(), "local", a.name(), module, b, a));
                }
                for (Block nested : b.blocks()) {
                    diagnostics.add(Diagnostic.error(nested.typeRange(), "locals holds attributes, not blocks")
                            .withHint("write " + nested.type() + " = { ... }"));
                }
                return;
            case "provider":
            case "state":
                add(new Node(b.type(), b.type(), b.type(), module, b, null));
                return;
            default:
                if (b.labels().size() != 1) {
                    context(module).reader.read(b, Schemas.TOP_LEVEL.get(b.type()), b.type());
                    return;
                }
                String kind = b.type().equals("variable") ? "var" : b.type();
                String name = b.labels().get(0).value();
                if (!Values.isIdentifier(name)) {
                    diagnostics.add(Diagnostic.error(b.labels().get(0).range(), "\"" + name + "\" cannot name a " + b.type())
                            .withHint("names are letters, digits and '_', starting with a letter or '_'"));
                    return;
                }
                add(new Node(prefix + kind + "." + name, kind, name, module, b, null));
        }
    }

    private void add(Node node) {
        declaresContainers |= node.kind().equals("container");
        Node first = nodes.get(node.key());
        if (first == null) {
            nodes.put(node.key(), node);
            return;
        }
        String what = node.kind().equals("provider") || node.kind().equals("state") ? "a " + node.kind() + " block"
                : node.address().toString();
        diagnostics.add(Diagnostic.error(node.subject(), what + " is declared twice")
                .withHint("first declared at " + first.subject().location())
                .withRelated(List.of(new Diagnostic.Related(first.subject(), "first declared here"))));
    }

    /** The containers a declaration uses, directly or through locals and other blocks, by address. */
    private List<Address> containersUsedBy(String key) {
        if (!declaresContainers) {
            return List.of(); // most stacks: no walk per fleet
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(graph.dependencies(key));
        java.util.SortedSet<Address> found = new java.util.TreeSet<>();
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next) && nodes.containsKey(next)) {
                Node n = nodes.get(next);
                if (n.kind().equals("container")) {
                    found.add(n.address());
                }
                todo.addAll(graph.dependencies(next));
            }
        }
        return List.copyOf(found);
    }

    // ---- references ----

    private List<References.Reference> references(Node node) {
        List<References.Reference> refs = new ArrayList<>();
        if (node.local() != null) {
            refs.addAll(References.of(node.local().value()));
        } else {
            collectReferences(node.block(), refs);
        }
        return refs;
    }

    private static void collectReferences(Block block, List<References.Reference> refs) {
        for (BodyItem item : block.body()) {
            if (item instanceof Attribute a) {
                refs.addAll(References.of(a.value()));
            } else {
                collectReferences((Block) item, refs);
            }
        }
    }

    /** The node key that {@code root.name} in {@code module} refers to, or null when there is none. */
    private String target(Module module, String root, String name) {
        Module imported = module.imports().get(root);
        if (imported != null) {
            String prefix = imported.name() + ":";
            for (String kind : new String[] {"component", "rollout", "local"}) {
                String key = prefix + kind + "." + name;
                if (nodes.containsKey(key)) {
                    return key;
                }
            }
            return null;
        }
        if (!NAMESPACES.contains(root)) {
            return null;
        }
        String prefix = module.isRoot() ? "" : module.name() + ":";
        return prefix + root + "." + name;
    }

    private String targetOrReport(Node node, References.Reference ref) {
        Module module = node.module();
        if (!NAMESPACES.contains(ref.root()) && !module.imports().containsKey(ref.root())) {
            return null; // "each", iteration variables and unknown names are the expression evaluator's
        }
        String key = target(module, ref.root(), ref.name());
        if (key != null && nodes.containsKey(key)) {
            return key;
        }
        if (module.imports().containsKey(ref.root()) && module.imports().get(ref.root()).broken()) {
            return null;
        }
        List<String> candidates = new ArrayList<>();
        String prefix = module.imports().containsKey(ref.root()) ? module.imports().get(ref.root()).name() + ":"
                : module.isRoot() ? "" : module.name() + ":";
        for (Node n : nodes.values()) {
            boolean sameModule = n.key().startsWith(prefix) && (prefix.isEmpty() ? !n.key().contains(":") : true);
            if (sameModule && (module.imports().containsKey(ref.root()) || n.kind().equals(ref.root()))) {
                candidates.add(n.name());
            }
        }
        String what = module.imports().containsKey(ref.root())
                ? "\"" + ref.root() + "\" (" + ref.root() + " import) has no component, rollout or local named \"" + ref.name() + "\""
                : "no " + noun(ref.root()) + " \"" + ref.name() + "\" is declared";
        String hint = DidYouMean.hint(ref.name(), candidates);
        if (hint.isEmpty() && ref.root().equals("var")) {
            hint = "declare it: variable \"" + ref.name() + "\" { type = string }";
        }
        diagnostics.add(Diagnostic.error(ref.range(), what)
                .withHint(hint.isEmpty() && !candidates.isEmpty() ? "declared are: " + String.join(", ", new TreeSet<>(candidates)) : hint));
        return null;
    }

    private static String noun(String root) {
        return root.equals("var") ? "variable" : root;
    }

    private void reportCycle(List<String> cycle, DependencyGraph<String> graph) {
        List<String> names = new ArrayList<>();
        for (String key : cycle) {
            names.add(nodes.get(key).address().toString());
        }
        Node first = nodes.get(cycle.get(0));
        boolean closes = graph.dependencies(cycle.get(cycle.size() - 1)).contains(cycle.get(0));
        String text = closes ? String.join(" -> ", names) + " -> " + names.get(0) : String.join(", ", names);
        List<Diagnostic.Related> others = new ArrayList<>();
        for (String key : cycle.subList(1, cycle.size())) {
            others.add(new Diagnostic.Related(nodes.get(key).subject(), nodes.get(key).address() + " is on the cycle"));
        }
        diagnostics.add(Diagnostic.error(first.subject(), "dependency cycle: " + text)
                .withHint(cycle.size() == 1 ? "it refers to itself" : "these refer to one another")
                .withDetail("Each of these needs the value of the next, so none can be evaluated. Break the cycle by removing one reference.")
                .withRelated(others));
        for (String key : cycle) {
            values.put(key, ExprEvaluator.ERROR);
        }
    }

    // ---- evaluating ----

    private void evaluate(Node node) {
        ModuleContext ctx = context(node.module());
        Value value;
        switch (node.kind()) {
            case "var":
                value = decoder.variable(node, ctx.reader, ctx.evaluator, options);
                values.put(node.key(), value);
                decoder.validate(node, ctx.reader, ctx.evaluator, ctx.scope, value);
                return;
            case "local":
                value = ctx.evaluator.eval(node.local().value(), ctx.scope);
                break;
            case "component":
                value = decoder.component(node, ctx.reader, ctx.scope, ctx.files);
                break;
            case "image":
                value = decoder.image(node, ctx.reader, ctx.scope, ctx.files);
                break;
            case "container":
                value = containers.container(node, ctx.reader, ctx.scope, ctx.files);
                break;
            case "rollout":
                value = decoder.rollout(node, ctx.reader, ctx.scope);
                break;
            case "fleet":
                decoder.containersInUse = containersUsedBy(node.key());
                value = decoder.fleet(node, ctx.reader, ctx.evaluator, ctx.scope);
                break;
            case "check":
                decoder.check(node, ctx.reader, ctx.evaluator, ctx.scope);
                return;
            case "output":
                decoder.output(node, ctx.reader, ctx.scope);
                return;
            case "provider":
                provider = decoder.provider(node, ctx.reader, ctx.scope);
                return;
            default:
                state = decoder.state(node, ctx.reader, ctx.scope);
                return;
        }
        values.put(node.key(), value);
    }

    private DesiredState desiredState() {
        List<CheckSpec> checks = new ArrayList<>(decoder.checks);
        checks.sort(java.util.Comparator.comparing(CheckSpec::address));
        return new DesiredState(provider, state, decoder.components, decoder.images, decoder.rollouts, decoder.fleets,
                List.copyOf(checks), decoder.outputs, decoder.pending);
    }
}
