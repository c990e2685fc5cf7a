package dev.imm.lsp;

import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.eval.ConsoleScope;
import dev.imm.eval.Schema;
import dev.imm.lang.Attribute;
import dev.imm.lang.Block;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ConfigFile;
import dev.imm.lang.Parser;
import dev.imm.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What hovering shows: for a reference or a declaration, what it evaluates to (as {@code imm console}
 * would print it; unknown values say when they become known); for an attribute's name, its type and
 * whether it is required; for a block's type, its labels, attributes and nested blocks.
 */
final class Hovers {
    private static final String DOCS = "docs/language.md";

    private Hovers() {
    }

    static Optional<String> at(StackAnalysis stack, ConfigFile file, SourceFile source, int offset) {
        Optional<StackAnalysis.Site> site = stack.siteAt(file.path(), offset);
        if (site.isPresent()) {
            return value(stack.scope(), site.get().key());
        }
        List<Block> chain = new ArrayList<>();
        List<BodyItem> items = file.items();
        while (true) {
            Block inside = null;
            for (BodyItem item : items) {
                if (item instanceof Block b && Positions.contains(b.range(), offset)) {
                    inside = b;
                }
            }
            if (inside == null) {
                break;
            }
            chain.add(inside);
            items = inside.body();
        }
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        Schema schema = schemaOf(chain);
        Block innermost = chain.get(chain.size() - 1);
        if (Positions.contains(innermost.typeRange(), offset)) {
            return Optional.of(describe(innermost.type(), schema, docs(chain)));
        }
        for (Attribute a : innermost.attributes()) {
            if (Positions.contains(a.nameRange(), offset) && schema != null) {
                Schema.Attr attr = schema.attributes().get(a.name());
                if (attr != null) {
                    return Optional.of("`" + a.name() + "`: " + attr.type() + (attr.required() ? ", required" : ", optional")
                            + "\n\nAn attribute of `" + innermost.type() + "` (" + docs(chain) + ").");
                }
            }
        }
        return Optional.empty();
    }

    private static Schema schemaOf(List<Block> chain) {
        Schema schema = null;
        for (int i = 0; i < chain.size(); i++) {
            Block b = chain.get(i);
            CursorContext.Frame f = new CursorContext.Frame(b.type(), b.labels().isEmpty() ? "" : b.labels().get(0).value());
            schema = i == 0 ? CursorContext.topLevel(f) : CursorContext.nested(schema, f);
            if (schema == null) {
                return null;
            }
        }
        return schema;
    }

    /** The section of the language reference about the outermost block: {@code docs/language.md#fleet}. */
    private static String docs(List<Block> chain) {
        return DOCS + "#" + chain.get(0).type();
    }

    private static String describe(String type, Schema schema, String docs) {
        if (schema == null) {
            return "`" + type + "`";
        }
        String labels = schema.labels().stream().map(l -> " \"" + l.toUpperCase(java.util.Locale.ROOT) + "\"").collect(Collectors.joining());
        StringBuilder text = new StringBuilder("```imm\n" + type + labels + " { … }\n```\n");
        if (!schema.attributes().isEmpty()) {
            text.append("\nAttributes: ").append(schema.attributes().values().stream()
                    .map(a -> "`" + a.name() + "` " + a.type() + (a.required() ? " (required)" : "")).collect(Collectors.joining(", ")))
                    .append('.');
        }
        if (!schema.blocks().isEmpty()) {
            text.append("\n\nBlocks: ").append(schema.blocks().keySet().stream().map(b -> "`" + b + "`").collect(Collectors.joining(", ")))
                    .append('.');
        }
        return text.append("\n\n").append(docs).toString();
    }

    /** What {@code key} ({@code image.web}, {@code var.env}) evaluates to, as the console prints it. */
    private static Optional<String> value(ConsoleScope scope, String key) {
        if (scope == null) {
            return Optional.of("`" + key + "`");
        }
        Parser.ExprResult parsed = Parser.parseExpression(new SourceFile("<hover>", key));
        if (parsed.expr() == null) {
            return Optional.empty();
        }
        Diagnostics problems = new Diagnostics();
        String value = Values.render(scope.evaluate(parsed.expr(), problems));
        if (problems.hasErrors()) {
            return Optional.of("`" + key + "`");
        }
        return Optional.of("```imm\n" + key + " = " + value + "\n```");
    }
}
