package dev.imm.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imm.diag.Diagnostic;
import dev.imm.diag.Diagnostics;
import dev.imm.diag.SourceFile;
import dev.imm.lang.Attribute;
import dev.imm.lang.BodyItem;
import dev.imm.lang.ParseResult;
import dev.imm.lang.Parser;
import dev.imm.lang.SourceReader;
import dev.imm.value.Value;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a {@code -var-file}: a {@code .json} object, or {@code .imm} attributes ({@code env = "prod"}),
 * whose values are constants (functions allowed, references not).
 */
public final class VarFiles {
    private VarFiles() {
    }

    public static Map<String, VariableInput> read(Path file, Diagnostics diagnostics) {
        String display = file.normalize().toString();
        SourceFile source = SourceReader.read(file, display, diagnostics);
        if (source == null) {
            return Map.of();
        }
        return display.endsWith(".json") ? json(source, diagnostics) : imm(source, file, diagnostics);
    }

    private static Map<String, VariableInput> json(SourceFile source, Diagnostics diagnostics) {
        Map<String, VariableInput> inputs = new LinkedHashMap<>();
        try {
            JsonNode root = new ObjectMapper().readTree(source.text());
            if (root == null || !root.isObject()) {
                diagnostics.add(Diagnostic.error(null, source.path() + " must hold a JSON object of variable values"));
                return inputs;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                inputs.put(field.getKey(), VariableInput.value(field.getKey(), fromJson(field.getValue()), source.path()));
            }
        } catch (IOException e) {
            diagnostics.add(Diagnostic.error(null, source.path() + " is not valid JSON")
                    .withDetail(e.getMessage().lines().findFirst().orElse("")));
        }
        return inputs;
    }

    static Value fromJson(JsonNode node) {
        if (node.isTextual()) {
            return new Value.Str(node.textValue());
        }
        if (node.isNumber()) {
            return new Value.Num(new BigDecimal(node.asText()));
        }
        if (node.isBoolean()) {
            return Value.Bool.of(node.booleanValue());
        }
        if (node.isArray()) {
            List<Value> items = new ArrayList<>();
            node.forEach(item -> items.add(fromJson(item)));
            return new Value.ListVal(items);
        }
        if (node.isObject()) {
            TreeMap<String, Value> entries = new TreeMap<>();
            node.fields().forEachRemaining(e -> entries.put(e.getKey(), fromJson(e.getValue())));
            return new Value.MapVal(entries);
        }
        return Value.Null.INSTANCE;
    }

    private static Map<String, VariableInput> imm(SourceFile source, Path file, Diagnostics diagnostics) {
        Map<String, VariableInput> inputs = new LinkedHashMap<>();
        ParseResult parsed = Parser.parse(source);
        diagnostics.addAll(parsed.diagnostics());
        Diagnostics local = new Diagnostics();
        Path dir = file.toAbsolutePath().getParent();
        ExprEvaluator evaluator = new ExprEvaluator(local, Functions.standard(), new ModuleFiles(dir, dir, Functions.standard()));
        Scope constants = Scope.constants();
        for (BodyItem item : parsed.file().items()) {
            if (!(item instanceof Attribute a)) {
                diagnostics.add(Diagnostic.error(item.range(), "a var file holds only name = value lines")
                        .withHint("blocks belong in the stack"));
                continue;
            }
            inputs.put(a.name(), VariableInput.value(a.name(), evaluator.eval(a.value(), constants), source.path()));
        }
        diagnostics.addAll(local);
        return inputs;
    }
}
