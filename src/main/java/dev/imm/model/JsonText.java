package dev.imm.model;

/**
 * A JSON string literal, escaped as RFC 8259 requires and nothing more (other characters are written
 * as they are); a lone surrogate is escaped so that no character is lost. The one JSON string writer of
 * the canonical bake inputs and the state files, so both stay byte-stable the same way.
 */
public final class JsonText {
    private JsonText() {
    }

    /** RFC 8259 escaping, nothing more; a lone surrogate is escaped so that no character is lost. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairedHigh) {
                        out.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
