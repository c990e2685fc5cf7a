package dev.imm.eval;

import dev.imm.diag.SourceRange;
import dev.imm.value.Value;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names an expression can see. Bare names bound here (iteration variables, {@code each}) shadow
 * everything; otherwise {@code root.name} goes to the {@link Resolver}, which knows the namespaces
 * ({@code var local image component rollout fleet} and import names).
 */
public final class Scope {
    private final Map<String, Value> bindings;
    private final Scope parent;
    private final Resolver resolver;

    /** Resolves {@code root.name} references into values of the stack. */
    public interface Resolver {
        /** Whether {@code root} is a namespace such as {@code var} or an import's name. */
        boolean isNamespace(String root);

        /** The value of {@code root.name}; reports a diagnostic and returns an error value when there is none. */
        Value resolve(String root, String name, SourceRange nameRange, SourceRange range);

        /** The namespaces, for "did you mean". */
        Set<String> namespaces();
    }

    public Scope(Resolver resolver) {
        this(Map.of(), null, resolver);
    }

    /** A scope in which no namespace resolves: for values that must not depend on the stack. */
    public static Scope constants() {
        return new Scope(new Resolver() {
            @Override
            public boolean isNamespace(String root) {
                return false;
            }

            @Override
            public Value resolve(String root, String name, SourceRange nameRange, SourceRange range) {
                return ExprEvaluator.ERROR;
            }

            @Override
            public Set<String> namespaces() {
                return Set.of();
            }
        });
    }

    private Scope(Map<String, Value> bindings, Scope parent, Resolver resolver) {
        this.bindings = bindings;
        this.parent = parent;
        this.resolver = resolver;
    }

    /** A scope that also binds {@code names}, shadowing this one's. */
    public Scope with(Map<String, Value> names) {
        return new Scope(Map.copyOf(names), this, resolver);
    }

    /** The value bound to a bare name, or null. */
    Value bound(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Value v = s.bindings.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    Resolver resolver() {
        return resolver;
    }

    /** Every name visible here, for suggestions. */
    Set<String> visibleNames() {
        Set<String> names = new TreeSet<>(resolver.namespaces());
        for (Scope s = this; s != null; s = s.parent) {
            names.addAll(s.bindings.keySet());
        }
        return names;
    }
}
