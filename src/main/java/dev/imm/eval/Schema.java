package dev.imm.eval;

import dev.imm.value.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a block may contain: how many labels, which attributes (with their types and whether they are
 * required) and which nested blocks. Adding a block type or an attribute means adding it here; the
 * grammar does not change. Names keep the order they are declared in, so hints list them stably. An {@code open} schema (the body of {@code locals}) takes any attribute.
 */
public record Schema(String type, List<String> labels, Map<String, Attr> attributes, Map<String, Nested> blocks,
                     boolean open) {

    /** An attribute: its type (values are converted to it) and whether it must be given. */
    public record Attr(String name, Type type, boolean required) {
    }

    /** A nested block type; {@code repeatable} ones may appear any number of times, others at most once. */
    public record Nested(Schema schema, boolean repeatable) {
    }

    public static Builder block(String type, String... labels) {
        return new Builder(type, List.of(labels));
    }

    public static final class Builder {
        private final String type;
        private final List<String> labels;
        private final Map<String, Attr> attributes = new LinkedHashMap<>();
        private final Map<String, Nested> blocks = new LinkedHashMap<>();
        private boolean open;

        private Builder(String type, List<String> labels) {
            this.type = type;
            this.labels = labels;
        }

        public Builder required(String name, Type t) {
            attributes.put(name, new Attr(name, t, true));
            return this;
        }

        public Builder optional(String name, Type t) {
            attributes.put(name, new Attr(name, t, false));
            return this;
        }

        public Builder one(Schema nested) {
            blocks.put(nested.type(), new Nested(nested, false));
            return this;
        }

        public Builder many(Schema nested) {
            blocks.put(nested.type(), new Nested(nested, true));
            return this;
        }

        public Builder anyAttributes() {
            open = true;
            return this;
        }

        public Schema build() {
            return new Schema(type, labels, java.util.Collections.unmodifiableMap(attributes),
                    java.util.Collections.unmodifiableMap(blocks), open);
        }
    }
}
