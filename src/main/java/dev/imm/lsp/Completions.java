package dev.imm.lsp;

import dev.imm.diag.SourceFile;
import dev.imm.eval.ConsoleScope;
import dev.imm.eval.Functions;
import dev.imm.eval.ModuleLoader;
import dev.imm.eval.Schema;
import dev.imm.eval.Schemas;
import dev.imm.eval.StackEvaluator;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/**
 * What may be typed at a cursor: block types at the top level; a block's attributes and nested blocks
 * from its schema; in a value, references ({@code var.}, {@code image.web.}, import names) and
 * functions; in an import's path, the standard library's modules.
 */
final class Completions {
    private Completions() {
    }

    /** The completions at a protocol position; each replaces the word being typed, which ends there. */
    static List<CompletionItem> at(SourceFile source, Position requested, ConsoleScope scope) {
        String text = source.text();
        int index = Positions.index(text, requested);
        CursorContext context = CursorContext.at(source, text.codePointCount(0, index));
        Position cursor = Positions.at(text, index);
        Range word = new Range(Positions.at(text, Math.max(0, index - context.prefix().length())), cursor);
        List<CompletionItem> items = new ArrayList<>();
        if (context.inString()) {
            if (context.inImport()) {
                for (String module : ModuleLoader.STANDARD_MODULES) {
                    if (("std/" + module).startsWith(context.prefix())) {
                        items.add(item(word, "std/" + module, CompletionItemKind.Module, "standard library module", "std/" + module));
                    }
                }
            }
            return items;
        }
        String prefix = context.prefix();
        if (context.value()) {
            List<String> words = scope != null ? scope.complete(prefix) : fallback(prefix);
            for (String w : words) {
                boolean function = w.endsWith("(");
                items.add(item(word, w, function ? CompletionItemKind.Function : w.contains(".") ? CompletionItemKind.Variable
                        : CompletionItemKind.Module, function ? "function" : "reference", w));
            }
            return items;
        }
        if (context.blocks().isEmpty()) {
            for (String type : new TreeSet<>(Schemas.TOP_LEVEL.keySet())) {
                if (type.startsWith(prefix)) {
                    items.add(item(word, type, CompletionItemKind.Keyword, "block", type));
                }
            }
            if ("import".startsWith(prefix)) {
                items.add(item(word, "import", CompletionItemKind.Keyword, "import \"std/NAME\" or a file", "import \""));
            }
            return items;
        }
        Schema schema = context.schema();
        if (schema == null) {
            return items;
        }
        for (Schema.Attr a : schema.attributes().values()) {
            if (a.name().startsWith(prefix)) {
                items.add(item(word, a.name(), CompletionItemKind.Property, a.type() + (a.required() ? ", required" : ""), a.name() + " = "));
            }
        }
        for (String block : schema.blocks().keySet()) {
            if (block.startsWith(prefix)) {
                items.add(item(word, block, CompletionItemKind.Struct, "block", block));
            }
        }
        return items;
    }

    private static List<String> fallback(String prefix) {
        List<String> words = new ArrayList<>();
        // a stack that does not evaluate yet: the language's namespaces
        StackEvaluator.NAMESPACES.stream().sorted().filter(n -> n.startsWith(prefix)).forEach(words::add);
        Functions.standard().names().stream().sorted().filter(n -> n.startsWith(prefix)).forEach(n -> words.add(n + "("));
        return words;
    }

    private static CompletionItem item(Range word, String label, CompletionItemKind kind, String detail, String insert) {
        CompletionItem item = new CompletionItem(label);
        item.setKind(kind);
        item.setDetail(detail);
        item.setTextEdit(Either.forLeft(new TextEdit(word, insert)));
        return item;
    }
}
