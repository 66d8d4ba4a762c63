package dfl.diag;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * "Did you mean ...?" suggestions: the candidate closest to a misspelt name by
 * Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and swaps of adjacent characters), counted in Unicode code points.
 *
 * <p>A candidate qualifies when its distance is at most {@code max(1, length / 3)} (length of the
 * wrong name) and smaller than the longer of the two names, so one-letter names are not
 * "corrected" into unrelated one-letter names. Latin spellings of Greek letters
 * ({@code sigma} for {@code σ}) also qualify. Ties go to the candidate differing only in case,
 * then to the alphabetically first, so results do not depend on the collection's order.
 */
public final class Suggest {
    private Suggest() {}

    private static final Map<String, String> GREEK = Map.ofEntries(
            Map.entry("alpha", "α"), Map.entry("beta", "β"), Map.entry("gamma", "γ"), Map.entry("delta", "δ"),
            Map.entry("epsilon", "ε"), Map.entry("zeta", "ζ"), Map.entry("eta", "η"), Map.entry("theta", "θ"),
            Map.entry("iota", "ι"), Map.entry("kappa", "κ"), Map.entry("lambda", "λ"), Map.entry("mu", "μ"),
            Map.entry("nu", "ν"), Map.entry("xi", "ξ"), Map.entry("pi", "π"), Map.entry("rho", "ρ"),
            Map.entry("sigma", "σ"), Map.entry("tau", "τ"), Map.entry("phi", "φ"), Map.entry("chi", "χ"),
            Map.entry("psi", "ψ"), Map.entry("omega", "ω"));

    /** The candidate the user most likely meant by {@code wrong}, if any is close enough. */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        String greek = GREEK.get(wrong.toLowerCase(java.util.Locale.ROOT));
        if (greek != null && candidates.contains(greek)) return Optional.of(greek);
        int[] w = wrong.codePoints().toArray();
        int limit = Math.max(1, w.length / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean bestSameIgnoringCase = false;
        for (String c : candidates) {
            if (c.equals(wrong)) continue;
            int[] cs = c.codePoints().toArray();
            if (Math.abs(cs.length - w.length) > limit) continue;
            int d = distance(w, cs);
            if (d > limit || d >= Math.max(w.length, cs.length)) continue;
            boolean sameIgnoringCase = c.equalsIgnoreCase(wrong);
            boolean better = d < bestDistance
                    || (d == bestDistance && sameIgnoringCase && !bestSameIgnoringCase)
                    || (d == bestDistance && sameIgnoringCase == bestSameIgnoringCase && c.compareTo(best) < 0);
            if (better) {
                best = c;
                bestDistance = d;
                bestSameIgnoringCase = sameIgnoringCase;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The hint sentence {@code Did you mean 'x'?} for {@link #closest}, if there is a suggestion. */
    public static Optional<String> didYouMean(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(s -> "Did you mean '" + s + "'?");
    }

    /** Damerau–Levenshtein distance (optimal string alignment) between two strings, in code points. */
    public static int distance(String a, String b) {
        return distance(a.codePoints().toArray(), b.codePoints().toArray());
    }

    private static int distance(int[] a, int[] b) {
        int n = a.length, m = b.length;
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
                d[i][j] = v;
            }
        }
        return d[n][m];
    }
}
