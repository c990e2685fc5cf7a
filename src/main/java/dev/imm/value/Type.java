package dev.imm.value;

/**
 * The types of the language: {@code string number bool duration percent list(T) map(T) object any} and
 * references to blocks ({@code image}, {@code component}, {@code rollout}, {@code fleet}).
 *
 * <p>Each record writes out its {@code equals} and {@code hashCode}: a record's own are linked at their
 * first call, about 10 ms of a short command (bench/README.md), and types are compared from the first
 * attribute of a stack on.
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

        @Override
        public boolean equals(Object other) {
            return other instanceof Primitive primitive && primitive.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
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

        @Override
        public boolean equals(Object other) {
            return other instanceof ListOf list && list.element.equals(element);
        }

        @Override
        public int hashCode() {
            return 31 * element.hashCode() + 1;
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

        @Override
        public boolean equals(Object other) {
            return other instanceof MapOf map && map.element.equals(element);
        }

        @Override
        public int hashCode() {
            return 31 * element.hashCode() + 2;
        }
    }

    /** A reference to a block of one kind: {@code image}, {@code component}, {@code rollout}, {@code fleet}. */
    record Ref(String kind) implements Type {
        @Override
        public String toString() {
            return kind;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ref ref && ref.kind.equals(kind);
        }

        @Override
        public int hashCode() {
            return 31 * kind.hashCode() + 3;
        }
    }
}
