package dev.imm.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a state commit, readable in {@code git log}:
 * <pre>
 * apply 3f2a: roll fleet.web to image.app ami-0abc     (summary, one line)
 *                                                      (blank line)
 * fleet.web rolled: 4 instances replaced in 6m         (body, optional, any number of lines)
 *                                                      (blank line)
 * Imm-Apply: 3f2a                                      (trailers, one "Key: value" a line)
 * Imm-Status: succeeded
 * Imm-Serial: 12
 * </pre>
 * Trailers are the last paragraph, and only when every line of it is {@code Key: value} with a key of
 * letters, digits and dashes, as {@code git interpret-trailers} reads them.
 */
public final class CommitMessage {
    public static final String APPLY = "Imm-Apply";
    public static final String STATUS = "Imm-Status";
    public static final String SERIAL = "Imm-Serial";

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern TRAILER = Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]*): ?(.*)");

    private CommitMessage() {
    }

    /** Rejects what would not read back: a summary that is empty or not one line, a malformed trailer. */
    static void check(String summary, Map<String, String> trailers) {
        if (summary == null || summary.isBlank() || summary.indexOf('\n') >= 0 || summary.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a commit summary is one non-empty line: " + summary);
        }
        trailers.forEach((key, value) -> {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("a trailer key is letters, digits and dashes: " + key);
            }
            if (value == null || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || !value.equals(value.strip())) {
                throw new IllegalArgumentException("trailer " + key + " needs a one-line value without "
                        + "surrounding spaces: " + value);
            }
        });
    }

    public static String render(CommitInfo info) {
        return render(info.summary(), info.body(), info.trailers());
    }

    public static String render(String summary, String body, Map<String, String> trailers) {
        check(summary, trailers);
        StringBuilder out = new StringBuilder(summary.strip()).append('\n');
        String text = body == null ? "" : body.replace("\r\n", "\n").replaceAll("^\n+", "").stripTrailing();
        if (!text.isEmpty()) {
            out.append('\n').append(text).append('\n');
        }
        if (!trailers.isEmpty()) {
            out.append('\n');
            trailers.forEach((key, value) -> out.append(key).append(": ").append(value).append('\n'));
        }
        return out.toString();
    }

    /** The first line. */
    public static String summary(String message) {
        String text = message.replace("\r\n", "\n");
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** The trailers of the message's last paragraph, in order; empty when it has none. */
    public static Map<String, String> trailers(String message) {
        List<String> lines = lines(message);
        int start = trailerStart(lines);
        if (start < 0) {
            return Map.of();
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        for (String line : lines.subList(start, lines.size())) {
            Matcher m = TRAILER.matcher(line);
            m.matches();
            trailers.put(m.group(1), m.group(2).strip());
        }
        return Collections.unmodifiableMap(trailers);
    }

    /** The lines between the summary and the trailers, without surrounding blank lines. */
    public static String body(String message) {
        List<String> lines = lines(message);
        int start = trailerStart(lines);
        List<String> body = lines.subList(Math.min(1, lines.size()), start < 0 ? lines.size() : start);
        return String.join("\n", body).strip();
    }

    private static List<String> lines(String message) {
        List<String> lines = new ArrayList<>(List.of(message.replace("\r\n", "\n").split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** Where the trailer paragraph starts, or -1: never the summary's own paragraph. */
    private static int trailerStart(List<String> lines) {
        int blank = -1;
        for (int i = lines.size() - 1; i > 0; i--) {
            if (lines.get(i).isBlank()) {
                blank = i;
                break;
            }
        }
        if (blank < 0 || blank == lines.size() - 1) {
            return -1;
        }
        for (String line : lines.subList(blank + 1, lines.size())) {
            if (!TRAILER.matcher(line).matches()) {
                return -1;
            }
        }
        return blank + 1;
    }
}
