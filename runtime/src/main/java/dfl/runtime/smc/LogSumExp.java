package dfl.runtime.smc;

/**
 * Stable log-sum-exp and weight normalisation on plain arrays. −∞ entries (zero weight) are allowed;
 * all −∞ gives −∞; a +∞ or NaN entry propagates as NaN so callers can report it.
 */
public final class LogSumExp {

    private LogSumExp() {}

    /** log Σ exp(a_i), computed with the maximum factored out so ±1e300 does not overflow. */
    public static double of(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) return Double.NaN;
            if (v > max) max = v;
        }
        if (max == Double.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double s = 0;
        for (double v : a) s += StrictMath.exp(v - max);
        return max + StrictMath.log(s);
    }

    /** Normalised weights w_i = exp(a_i − logsumexp(a)); requires at least one finite entry. */
    public static double[] normalise(double[] logW) {
        double lse = of(logW);
        double[] w = new double[logW.length];
        for (int i = 0; i < w.length; i++) w[i] = StrictMath.exp(logW[i] - lse);
        return w;
    }

    /** Normalised log-weights a_i − logsumexp(a). */
    public static double[] normaliseLog(double[] logW) {
        double lse = of(logW);
        double[] out = new double[logW.length];
        for (int i = 0; i < out.length; i++) out[i] = logW[i] - lse;
        return out;
    }
}
