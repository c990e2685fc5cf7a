package dev.imm.model;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The JSON that bake inputs are hashed over: no white space, object keys sorted, strings escaped as
 * RFC 8259 requires (and nothing more), numbers as plain integers. One input, one text, on every machine.
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    /** Writes a value made of {@link SortedMap}, {@link List}, {@link String}, {@link Long} and null. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof SortedMap<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",");
                string((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not canonical JSON: " + value.getClass());
        }
    }

    private static void string(String s, StringBuilder out) {
        JsonText.quote(s, out);
    }
}
