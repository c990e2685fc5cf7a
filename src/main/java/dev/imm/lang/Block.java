package dev.imm.lang;

import dev.imm.diag.SourceRange;
import java.util.ArrayList;
import java.util.List;

/** {@code type "label"… { body }}. */
public record Block(String type, SourceRange typeRange, List<Label> labels, List<BodyItem> body,
                    SourceRange range) implements BodyItem {

    public Block {
        labels = List.copyOf(labels);
        body = List.copyOf(body);
    }

    /** A block label: always a plain string. */
    public record Label(String value, SourceRange range) {
    }

    public List<Attribute> attributes() {
        List<Attribute> result = new ArrayList<>();
        for (BodyItem item : body) {
            if (item instanceof Attribute a) {
                result.add(a);
            }
        }
        return result;
    }

    public List<Block> blocks() {
        List<Block> result = new ArrayList<>();
        for (BodyItem item : body) {
            if (item instanceof Block b) {
                result.add(b);
            }
        }
        return result;
    }

    /** The range from the block type through the last label: what a diagnostic about the block points at. */
    public SourceRange headerRange() {
        return labels.isEmpty() ? typeRange : typeRange.to(labels.get(labels.size() - 1).range());
    }
}
