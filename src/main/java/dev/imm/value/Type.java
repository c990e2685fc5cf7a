package dev.imm.value;

/**
 * The types of the language: {@code string number bool duration percent list(T) map(T) object any} and
 * references to blocks ({@code image}, {@code component}, {@code rollout}, {@code fleet}).
 */
public sealed interface Type {
    Type STRING = new Primitive("string");
    Type NUMBER = new Primitive("number");
    Type BOOL = new Primitive("bool");
    Type DURATION = new Primitive("duration");
    Type PERCENT = new Primitive("percent");
    Type NULL = new Primitive("null");
    Type ANY = new Primitive("any");
    Type OBJECT = new Primitive("object");

    /** Whether a value of type {@code other} may stand where this type is wanted, without conversion. */
    default boolean accepts(Type other) {
        return this.equals(ANY) || other.equals(ANY) || other.equals(NULL) || this.equals(other);
    }

    /** A scalar or the loose {@code object} and {@code any}. */
    record Primitive(String name) implements Type {
        @Override
        public String toString() {
            return name;
        }
    }

    record ListOf(Type element) implements Type {
        @Override
        public boolean accepts(Type other) {
            return Type.super.accepts(other) || other instanceof ListOf l && element.accepts(l.element);
        }

        @Override
        public String toString() {
            return "list(" + element + ")";
        }
    }

    /** A map with keys that are strings; object literals are maps of {@code any}. */
    record MapOf(Type element) implements Type {
        @Override
        public boolean accepts(Type other) {
            return Type.super.accepts(other) || other instanceof MapOf m && element.accepts(m.element)
                    || other.equals(OBJECT);
        }

        @Override
        public String toString() {
            return "map(" + element + ")";
        }
    }

    /** A reference to a block of one kind: {@code image}, {@code component}, {@code rollout}, {@code fleet}. */
    record Ref(String kind) implements Type {
        @Override
        public String toString() {
            return kind;
        }
    }
}
