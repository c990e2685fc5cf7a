package dev.imm.lang;

import dev.imm.diag.SourceRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The indentation rule of {@code <<-} heredocs: the least indentation (spaces and tabs) of the lines
 * that hold anything but white space is removed from every line. Lines are given as the template parts of
 * each line, the line's newline included in its last text part.
 */
final class HeredocIndent {
    private HeredocIndent() {
    }

    static List<List<TemplatePart>> strip(List<List<TemplatePart>> lines) {
        int least = Integer.MAX_VALUE;
        for (List<TemplatePart> line : lines) {
            if (!isBlank(line)) {
                least = Math.min(least, indentation(line));
            }
        }
        if (least == Integer.MAX_VALUE || least == 0) {
            return lines;
        }
        List<List<TemplatePart>> result = new ArrayList<>(lines.size());
        for (List<TemplatePart> line : lines) {
            result.add(stripLine(line, least));
        }
        return result;
    }

    private static boolean isBlank(List<TemplatePart> line) {
        for (TemplatePart part : line) {
            if (part instanceof TemplatePart.Interpolation || !((TemplatePart.Text) part).text().isBlank()) {
                return false;
            }
        }
        return true;
    }

    private static int indentation(List<TemplatePart> line) {
        if (line.isEmpty() || !(line.get(0) instanceof TemplatePart.Text first)) {
            return 0;
        }
        int n = 0;
        while (n < first.text().length() && (first.text().charAt(n) == ' ' || first.text().charAt(n) == '\t')) {
            n++;
        }
        return n;
    }

    private static List<TemplatePart> stripLine(List<TemplatePart> line, int count) {
        if (line.isEmpty() || !(line.get(0) instanceof TemplatePart.Text first)) {
            return line;
        }
        int n = Math.min(count, indentation(line));
        List<TemplatePart> result = new ArrayList<>(line);
        String rest = first.text().substring(n);
        SourceRange r = first.range();
        if (rest.isEmpty()) {
            result.remove(0);
        } else {
            result.set(0, new TemplatePart.Text(rest, r));
        }
        return result;
    }
}
