package dev.imm.diag;

import java.util.Optional;

/**
 * Finds the name a user probably meant among the names that exist, by edit distance (insertions,
 * deletions, substitutions and swaps of two neighbours). A suggestion is made only when the distance is
 * small for the length of the name, so that unrelated names are not offered.
 */
public final class DidYouMean {
    private DidYouMean() {
    }

    /** The closest candidate, if one is close enough; ties go to the first candidate in order. */
    public static Optional<String> suggest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                continue;
            }
            int distance = distance(name.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance <= limit && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The hint text {@code did you mean "x"?}, or "" when nothing is close. */
    public static String hint(String name, Iterable<String> candidates) {
        return suggest(name, candidates).map(s -> "did you mean \"" + s + "\"?").orElse("");
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
