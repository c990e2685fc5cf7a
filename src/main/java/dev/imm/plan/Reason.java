package dev.imm.plan;

/**
 * Why a change is planned: a stable code ({@code source-changed}, {@code file-changed},
 * {@code var-changed}, {@code drift}, ...), the path it is about ({@code image.base},
 * {@code scripts/app.sh}), and the values before and after where they help (empty when not).
 */
public record Reason(String code, String path, String before, String after) {

    public static Reason of(String code, String path) {
        return new Reason(code, path, "", "");
    }

    /** {@code source-changed image.base ami-1 -> ami-2}; {@code drift fleet.web: 2 instances not on …} with no before. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(code);
        if (!path.isEmpty()) {
            s.append(' ').append(path);
        }
        if (before.isEmpty() && !after.isEmpty()) {
            s.append(": ").append(after);
        } else if (!before.isEmpty() || !after.isEmpty()) {
            s.append(' ').append(before.isEmpty() ? "(none)" : before).append(" -> ").append(after.isEmpty() ? "(none)" : after);
        }
        return s.toString();
    }
}
