package dev.imm.value;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reading and writing durations: {@code 500ms 90s 5m 1h30m 2d 1.5h}. The canonical form uses the largest
 * units first and drops zero parts: 5400000 ms is {@code 1h30m}, 90 s is {@code 1m30s}.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private Durations() {
    }

    /** The milliseconds of a duration literal, or empty when it is not one (or is not a whole millisecond). */
    public static Optional<Long> parse(String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit(m.group(2)))));
            at = m.end();
        }
        try {
            return Optional.of(total.setScale(0, RoundingMode.UNNECESSARY).longValueExact());
        } catch (ArithmeticException notWhole) {
            return Optional.empty();
        }
    }

    private static long unit(String unit) {
        switch (unit) {
            case "ms": return 1;
            case "s": return SECOND;
            case "m": return MINUTE;
            case "h": return HOUR;
            default: return DAY;
        }
    }

    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long rest = Math.abs(millis);
        if (millis < 0) {
            out.append('-');
        }
        long[] units = {DAY, HOUR, MINUTE, SECOND, 1};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            long n = rest / units[i];
            if (n > 0) {
                out.append(n).append(names[i]);
                rest -= n * units[i];
            }
        }
        return out.toString();
    }
}
