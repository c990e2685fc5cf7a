package dev.imm.eval;

import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.DidYouMean;
import dev.imm.diag.SourceRange;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.value.Type;
import dev.imm.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a block against its {@link Schema} (labels, unknown and missing attributes, unknown and repeated
 * nested blocks), then evaluates its attributes converted to their declared types. Each problem is one
 * diagnostic at the place it is about, with a "did you mean" where a name is close to a known one.
 */
final class BlockReader {
    private final Diagnostics diagnostics;
    private final ExprEvaluator evaluator;

    BlockReader(Diagnostics diagnostics, ExprEvaluator evaluator) {
        this.diagnostics = diagnostics;
        this.evaluator = evaluator;
    }

    /** A block's content after the structural checks: attributes and nested blocks by name. */
    record Body(Block block, String what, Schema schema, Map<String, Attribute> attributes, Map<String, List<Block>> blocks) {
        Attribute attribute(String name) {
            return attributes.get(name);
        }

        List<Block> nested(String type) {
            return blocks.getOrDefault(type, List.of());
        }

        Block single(String type) {
            List<Block> found = nested(type);
            return found.isEmpty() ? null : found.get(0);
        }
    }

    /** {@code fleet "web"}, {@code provision "shell" in image "app"}: how diagnostics name a block. */
    static String describe(Block block) {
        StringBuilder s = new StringBuilder(block.type());
        for (Block.Label label : block.labels()) {
            s.append(" \"").append(label.value()).append('"');
        }
        return s.toString();
    }

    Body read(Block block, Schema schema, String what) {
        checkLabels(block, schema, what);
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        Map<String, List<Block>> blocks = new LinkedHashMap<>();
        Set<String> known = new LinkedHashSet<>(schema.attributes().keySet());
        known.addAll(schema.blocks().keySet());
        Set<String> misspelled = new java.util.HashSet<>(); // names a typo was taken for: not also "missing"
        for (BodyItem item : block.body()) {
            if (item instanceof Attribute a) {
                if (schema.blocks().containsKey(a.name()) && !schema.attributes().containsKey(a.name())) {
                    diagnostics.add(Diagnostic.error(a.nameRange(), "\"" + a.name() + "\" is a block in " + what + ", not an attribute")
                            .withHint("write " + a.name() + " { ... } without '='"));
                } else if (!schema.open() && !schema.attributes().containsKey(a.name())) {
                    diagnostics.add(Diagnostic.error(a.nameRange(), "unknown attribute \"" + a.name() + "\" in " + what)
                            .withHint(hint(a.name(), known, schema)));
                    DidYouMean.suggest(a.name(), known).ifPresent(misspelled::add);
                } else if (attributes.containsKey(a.name())) {
                    diagnostics.add(Diagnostic.error(a.nameRange(), "attribute \"" + a.name() + "\" is set twice in " + what)
                            .withHint("first set at line " + attributes.get(a.name()).nameRange().startLine()));
                } else {
                    attributes.put(a.name(), a);
                }
            } else {
                Block b = (Block) item;
                Schema.Nested nested = schema.blocks().get(b.type());
                if (nested == null) {
                    String summary = schema.attributes().containsKey(b.type())
                            ? "\"" + b.type() + "\" is an attribute in " + what + ", not a block"
                            : "unknown block \"" + b.type() + "\" in " + what;
                    String hintText = schema.attributes().containsKey(b.type())
                            ? "write " + b.type() + " = { ... }" : hint(b.type(), known, schema);
                    diagnostics.add(Diagnostic.error(b.typeRange(), summary).withHint(hintText));
                    continue;
                }
                List<Block> list = blocks.computeIfAbsent(b.type(), k -> new ArrayList<>());
                if (!nested.repeatable() && !list.isEmpty()) {
                    diagnostics.add(Diagnostic.error(b.typeRange(), "only one " + b.type() + " block is allowed in " + what)
                            .withHint("the first is at line " + list.get(0).typeRange().startLine()));
                    continue;
                }
                list.add(b);
            }
        }
        for (Schema.Attr attr : schema.attributes().values()) {
            boolean isNull = attributes.containsKey(attr.name()) && attributes.get(attr.name()).value() instanceof dev.imm.lang.Expr.Literal l
                    && l.kind() == dev.imm.lang.LiteralKind.NULL;
            if (attr.required() && isNull && !attr.type().equals(Type.ANY)) {
                diagnostics.add(Diagnostic.error(attributes.get(attr.name()).value().range(), "\"" + attr.name() + "\" in " + what + " cannot be null")
                        .withHint("it is required"));
            } else if (attr.required() && !attributes.containsKey(attr.name()) && !misspelled.contains(attr.name())) {
                diagnostics.add(Diagnostic.error(block.headerRange(), "missing required attribute \"" + attr.name() + "\" in " + what)
                        .withHint("add " + attr.name() + " = ..."));
            }
        }
        return new Body(block, what, schema, attributes, blocks);
    }

    private static String hint(String name, Set<String> known, Schema schema) {
        String suggestion = DidYouMean.hint(name, known);
        if (!suggestion.isEmpty()) {
            return suggestion;
        }
        return known.isEmpty() ? schema.type() + " takes no attributes here" : "expected one of: " + String.join(", ", known);
    }

    private void checkLabels(Block block, Schema schema, String what) {
        int expected = schema.labels().size();
        if (block.labels().size() == expected) {
            return;
        }
        SourceRange at = block.labels().size() > expected ? block.labels().get(expected).range() : block.headerRange();
        String wanted = expected == 0 ? "no labels" : expected == 1 ? "one label, its " + schema.labels().get(0)
                : expected + " labels";
        String example = expected == 0 ? block.type() + " { ... }" : block.type() + " \"NAME\" { ... }";
        diagnostics.add(Diagnostic.error(at, block.type() + " takes " + wanted).withHint("as in " + example));
    }

    /**
     * The attribute's value converted to {@code type}, or empty when it is not set. A value of another type
     * is reported and gives {@link ExprEvaluator#ERROR}.
     */
    Optional<Value> value(Body body, String name, Type type, Scope scope) {
        Attribute a = body.attribute(name);
        if (a == null) {
            return Optional.empty();
        }
        Value v = convert(evaluator.eval(a.value(), scope), type, a, body.what());
        if (v instanceof Value.Null && !type.equals(Type.ANY)) {
            Schema.Attr attr = body.schema().attributes().get(name);
            if (attr != null && attr.required()) {
                diagnostics.add(Diagnostic.error(a.value().range(), "\"" + name + "\" in " + body.what() + " cannot be null")
                        .withHint("it is required"));
                return Optional.of(ExprEvaluator.ERROR);
            }
            return Optional.empty(); // as in HCL, null means "not set"
        }
        if (!type.equals(Type.ANY) && containsNull(v)) {
            diagnostics.add(Diagnostic.error(a.value().range(), "\"" + a.name() + "\" in " + body.what() + " cannot hold null")
                    .withHint("leave the item out instead"));
            return Optional.of(ExprEvaluator.ERROR);
        }
        return Optional.of(v);
    }

    private static boolean containsNull(Value v) {
        Value u = dev.imm.value.Values.unmarked(v);
        if (u instanceof Value.ListVal l) {
            return l.items().stream().anyMatch(item -> dev.imm.value.Values.unmarked(item) instanceof Value.Null || containsNull(item));
        }
        if (u instanceof Value.MapVal m) {
            return m.entries().values().stream().anyMatch(item -> dev.imm.value.Values.unmarked(item) instanceof Value.Null || containsNull(item));
        }
        return false;
    }

    /** The attribute's value with diagnostics of its own discarded: for asking "is it known?" twice. */
    Value evaluateQuietly(Attribute a, Scope scope) {
        return evaluator.quietly().eval(a.value(), scope);
    }

    Value convert(Value v, Type type, Attribute a, String what) {
        if (ExprEvaluator.isError(v)) {
            return v;
        }
        Optional<Value> converted = Conversions.implicit(v, type);
        if (converted.isPresent()) {
            return converted.get();
        }
        diagnostics.add(Diagnostic.error(a.value().range(), "\"" + a.name() + "\" in " + what + " must be "
                + Conversions.article(type) + ", got " + Conversions.describe(v)).withHint(typeHint(type, v)));
        return ExprEvaluator.ERROR;
    }

    private static String typeHint(Type type, Value v) {
        if (type.equals(Type.DURATION) && v instanceof Value.Num) {
            return "give a unit, as in 90s or 5m";
        }
        if (type.equals(Type.PERCENT) && v instanceof Value.Num) {
            return "write a percent with %, as in 90%";
        }
        if (type instanceof Type.Ref r) {
            return "refer to one, as in " + r.kind() + ".NAME";
        }
        if (type instanceof Type.ListOf && !(v instanceof Value.ListVal)) {
            return "put it in a list: [ ... ]";
        }
        return "";
    }
}
