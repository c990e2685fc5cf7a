package dev.imm.eval;

import static dev.imm.eval.StringFunctions.string;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.imm.value.Durations;
import dev.imm.value.Type;
import dev.imm.value.Value;
import dev.imm.value.Values;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The encoding and hashing functions: {@code jsonencode jsondecode base64encode base64decode sha256}. Text
 * is always UTF-8. JSON output is compact with sorted keys, so equal values give identical text.
 */
final class EncodingFunctions {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Made on first use: a mapper's class initialization cost validating the quickstart about a tenth of its time. */
    private static final class Decoding {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
    }

    private EncodingFunctions() {
    }

    static void register(Functions.Builder b) {
        b.add("jsonencode", List.of(Type.ANY), Type.STRING,
                "Encodes a value as compact JSON with sorted keys (durations and percents as strings like \"1h30m\", \"10%\")",
                (args, ctx) -> new Value.Str(json(args.get(0))));
        b.add("jsondecode", List.of(Type.STRING), Type.ANY,
                "Decodes a JSON text into strings, numbers, bools, null, lists and maps",
                (args, ctx) -> jsondecode(string("jsondecode", args, 0)));
        b.add("base64encode", List.of(Type.STRING), Type.STRING,
                "Encodes the UTF-8 bytes of a string as Base64",
                (args, ctx) -> new Value.Str(Base64.getEncoder().encodeToString(
                        string("base64encode", args, 0).getBytes(StandardCharsets.UTF_8))));
        b.add("base64decode", List.of(Type.STRING), Type.STRING,
                "Decodes Base64 into a string; the decoded bytes must be UTF-8 text",
                (args, ctx) -> new Value.Str(base64decode(string("base64decode", args, 0))));
        b.add("sha256", List.of(Type.STRING), Type.STRING,
                "The SHA-256 hash of the UTF-8 bytes of a string, as lowercase hex",
                (args, ctx) -> new Value.Str(sha256(string("sha256", args, 0).getBytes(StandardCharsets.UTF_8))));
    }

    // ---- JSON ----

    /** Compact JSON of a known, unmarked value. Keys come out sorted because maps keep them sorted. */
    static String json(Value v) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(v, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(Value v, JsonGenerator gen) throws IOException {
        if (v instanceof Value.Sensitive s) {
            write(s.inner(), gen);
        } else if (v instanceof Value.Str s) {
            gen.writeString(s.value());
        } else if (v instanceof Value.Num n) {
            gen.writeNumber(n.value().toPlainString());
        } else if (v instanceof Value.Bool b) {
            gen.writeBoolean(b.value());
        } else if (v instanceof Value.Null) {
            gen.writeNull();
        } else if (v instanceof Value.Duration d) {
            gen.writeString(Durations.format(d.millis()));
        } else if (v instanceof Value.Percent p) {
            gen.writeString(p.value().toPlainString() + "%");
        } else if (v instanceof Value.Ref r) {
            gen.writeString(r.address());
        } else if (v instanceof Value.ListVal l) {
            gen.writeStartArray();
            for (Value item : l.items()) {
                write(item, gen);
            }
            gen.writeEndArray();
        } else if (v instanceof Value.MapVal m) {
            gen.writeStartObject();
            for (Map.Entry<String, Value> e : m.entries().entrySet()) {
                gen.writeFieldName(e.getKey());
                write(e.getValue(), gen);
            }
            gen.writeEndObject();
        } else {
            // Functions.call never passes unknown values to a body.
            throw new IllegalArgumentException("jsonencode of an unknown value");
        }
    }

    static Value jsondecode(String text) throws FunctionError {
        if (text.isBlank()) {
            throw new FunctionError(0, "jsondecode: the text is empty", "give a JSON text such as {\"a\": 1} or [1, 2]");
        }
        JsonNode root;
        try {
            root = Decoding.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new FunctionError(0, "jsondecode: invalid JSON" + where + ": " + firstLine(e.getOriginalMessage()),
                    "the text must be one complete JSON value, such as {\"a\": 1} or [1, 2]");
        }
        return fromJson(root);
    }

    /** Jackson's message on one line, without the placeholder it writes for the (not included) source. */
    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceAll("\\[Source: [^;]*; ", "[");
    }

    private static Value fromJson(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, Value> entries = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                entries.put(field.getKey(), fromJson(field.getValue()));
            }
            return new Value.MapVal(entries);
        }
        if (node.isArray()) {
            List<Value> items = new ArrayList<>();
            for (JsonNode item : node) {
                items.add(fromJson(item));
            }
            return new Value.ListVal(items);
        }
        if (node.isNumber()) {
            return new Value.Num(node.decimalValue());
        }
        if (node.isBoolean()) {
            return Value.Bool.of(node.booleanValue());
        }
        if (node.isTextual()) {
            return new Value.Str(node.textValue());
        }
        return Value.Null.INSTANCE;
    }

    // ---- Base64 and hashes ----

    static String base64decode(String text) throws FunctionError {
        String hint = "Base64 uses A-Z a-z 0-9 + / and = padding, e.g. \"aGVsbG8=\"";
        String compact = text.replace("\r", "").replace("\n", "");
        for (int i = 0; i < compact.length(); ) {
            int c = compact.codePointAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '/' || c == '='))) {
                throw new FunctionError(0, "base64decode: not valid Base64: unexpected character "
                        + Values.quote(new String(Character.toChars(c))) + " at position "
                        + (compact.codePointCount(0, i) + 1), hint);
            }
            i += Character.charCount(c);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new FunctionError(0, "base64decode: not valid Base64: " + e.getMessage(), hint);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FunctionError(0, "base64decode: the decoded bytes are not UTF-8 text",
                    "base64decode only decodes text; binary content cannot be a string");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }
}
