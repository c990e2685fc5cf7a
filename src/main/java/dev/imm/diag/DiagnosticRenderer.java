package dev.imm.diag;

import java.util.function.Function;

/**
 * Renders diagnostics the way compilers do: a header, the location, the source line and carets under the
 * whole subject, with the hint beside the carets and the detail below. The only renderer of diagnostics;
 * the CLI, the console and tests all use it.
 *
 * <pre>
 * error: unknown attribute "instnace_type" in fleet "web"
 *   --&gt; stacks/shop/main.imm:42:3
 *    |
 * 42 |   instnace_type = "t3.small"
 *    |   ^^^^^^^^^^^^^ did you mean "instance_type"?
 * </pre>
 */
public final class DiagnosticRenderer {
    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[1;31m";
    private static final String YELLOW = "\u001b[1;33m";
    private static final String BLUE = "\u001b[1;34m";

    private final Function<String, SourceFile> sources;
    private final boolean color;

    /**
     * @param sources finds the text of a file by the path diagnostics name it with; may return null, and
     *                then the diagnostic is shown without its source line
     * @param color   whether to use ANSI colours (only when writing to a terminal)
     */
    public DiagnosticRenderer(Function<String, SourceFile> sources, boolean color) {
        this.sources = sources;
        this.color = color;
    }

    /** All diagnostics, sorted, each followed by a blank line. */
    public String render(Iterable<Diagnostic> diagnostics) {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            out.append(render(d)).append('\n');
        }
        return out.toString();
    }

    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        String severityColor = d.severity() == Severity.ERROR ? RED : YELLOW;
        out.append(paint(severityColor, d.severity().label())).append(paint(BOLD, ": " + d.summary())).append('\n');
        SourceRange at = d.subject();
        if (at == null) {
            appendDetail(out, d.detail(), "  ");
            return out.toString();
        }
        String lineNumber = Integer.toString(at.startLine());
        String gutter = " ".repeat(lineNumber.length());
        out.append(gutter).append(paint(BLUE, "--> ")).append(at.location()).append('\n');
        SourceFile file = sources.apply(at.path());
        if (file != null && at.startLine() <= file.lineCount()) {
            String line = file.line(at.startLine());
            out.append(gutter).append(paint(BLUE, " |")).append('\n');
            out.append(paint(BLUE, lineNumber + " |")).append(line.isEmpty() ? "" : " " + line).append('\n');
            out.append(gutter).append(paint(BLUE, " |")).append(' ')
                    .append(padding(line, at.startColumn()))
                    .append(paint(severityColor, "^".repeat(caretCount(line, at))));
            if (!d.hint().isEmpty()) {
                out.append(' ').append(paint(severityColor, d.hint()));
            }
            out.append('\n');
        } else if (!d.hint().isEmpty()) {
            out.append(gutter).append(paint(BLUE, " = ")).append(d.hint()).append('\n');
        }
        appendDetail(out, d.detail(), gutter + " ");
        return out.toString();
    }

    private void appendDetail(StringBuilder out, String detail, String indent) {
        if (detail.isEmpty()) {
            return;
        }
        for (String line : detail.split("\n", -1)) {
            out.append(indent).append(paint(BLUE, "= ")).append(line).append('\n');
        }
    }

    /** White space that lines the carets up under column {@code column}, keeping the line's tabs. */
    private static String padding(String line, int column) {
        StringBuilder pad = new StringBuilder();
        int col = 1;
        for (int i = 0; i < line.length() && col < column; ) {
            int cp = line.codePointAt(i);
            pad.append(cp == '\t' ? '\t' : ' ');
            i += Character.charCount(cp);
            col++;
        }
        while (col < column) {
            pad.append(' ');
            col++;
        }
        return pad.toString();
    }

    /** Carets under the whole range on its first line; at least one, so an empty range is still shown. */
    private static int caretCount(String line, SourceRange at) {
        int lineLength = line.codePointCount(0, line.length());
        int end = at.endLine() == at.startLine() ? at.endColumn() : lineLength + 1;
        return Math.max(1, end - at.startColumn());
    }

    private String paint(String code, String text) {
        return color ? code + text + RESET : text;
    }
}
