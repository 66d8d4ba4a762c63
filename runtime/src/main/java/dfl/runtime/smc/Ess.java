package dfl.runtime.smc;

/** Effective sample size of normalised weights: 1/Σ w_i², in [1, K]. */
public final class Ess {

    private Ess() {}

    /** ESS of normalised weights {@code w} (summing to 1). */
    public static double of(double[] w) {
        double s = 0;
        for (double v : w) s += v * v;
        double ess = 1.0 / s;
        // rounding can push 1/Σw² a hair outside [1, K]
        return Math.max(1.0, Math.min(w.length, ess));
    }

    /** ESS from unnormalised log-weights. */
    public static double fromLog(double[] logW) {
        return of(LogSumExp.normalise(logW));
    }

    /** Largest normalised weight. */
    public static double max(double[] w) {
        double m = 0;
        for (double v : w) m = Math.max(m, v);
        return m;
    }
}
