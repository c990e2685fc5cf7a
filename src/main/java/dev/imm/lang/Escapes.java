package dev.imm.lang;

/** The escape sequences of quoted strings: decoding, checking, and writing text back as a string. */
final class Escapes {
    private Escapes() {
    }

    /** Whether {@code escape} (a backslash and what follows it) is one the language knows. */
    static boolean isValid(String escape) {
        if (escape.length() < 2) {
            return false;
        }
        char c = escape.charAt(1);
        switch (c) {
            case 'n': case 't': case 'r': case '"': case '\\':
                return escape.length() == 2;
            case 'u':
                return escape.length() == 6;
            case 'U':
                // eight hex digits can exceed an int (\UF0001F68): parse them as a long
                return escape.length() == 10 && Long.parseLong(escape.substring(2), 16) <= Character.MAX_CODE_POINT;
            default:
                return false;
        }
    }

    /** The text an escape stands for; an invalid escape (already reported) stands for itself. */
    static String decode(String escape) {
        if (!isValid(escape)) {
            return escape;
        }
        switch (escape.charAt(1)) {
            case 'n': return "\n";
            case 't': return "\t";
            case 'r': return "\r";
            case '"': return "\"";
            case '\\': return "\\";
            default: return new String(Character.toChars(Integer.parseInt(escape.substring(2), 16)));
        }
    }

    /** Text written as the inside of a quoted string: quotes, backslashes, controls and "${" escaped. */
    static String quote(String text) {
        String quoted = dev.imm.value.Values.quote(text);
        return quoted.substring(1, quoted.length() - 1);
    }
}
