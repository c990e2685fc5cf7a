package dev.imm.diag;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text of one source file and the path it is shown under in diagnostics. Lines are split on
 * {@code \n} (a preceding {@code \r} is dropped), and line numbers are 1-based.
 */
public final class SourceFile {
    private final String path;
    private final String text;
    private List<String> lines;

    public SourceFile(String path, String text) {
        this.path = Objects.requireNonNull(path, "path");
        this.text = Objects.requireNonNull(text, "text");
    }

    public String path() {
        return path;
    }

    public String text() {
        return text;
    }

    /** The text of line {@code number} without its line terminator, or "" past the end of the file. */
    public String line(int number) {
        List<String> all = lines();
        return number >= 1 && number <= all.size() ? all.get(number - 1) : "";
    }

    public int lineCount() {
        return lines().size();
    }

    private List<String> lines() {
        if (lines == null) {
            List<String> result = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                    result.add(text.substring(start, end));
                    start = i + 1;
                }
            }
            result.add(text.substring(start));
            lines = result;
        }
        return lines;
    }

    @Override
    public String toString() {
        return path;
    }
}
