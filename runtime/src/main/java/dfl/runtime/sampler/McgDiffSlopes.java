package dfl.runtime.sampler;

import java.util.Arrays;

/**
 * The slopes J_q = ∂x̂0̄_q/∂x̄_q that shape {@code mcgdiff}'s potentials, per sampling step and observed SVD coordinate.
 * The potential g_{i−1} linearises x̂0 around the reverse mean, x̂0̄(x_{i−1}) ≈ x̂0̄(x_i) + J (x̄_{i−1} − μ̄_i), and takes
 * Tweedie's covariance of x_0 given x_{i−1}, (1 − ᾱ) J/√ᾱ; with J = 1/√ᾱ (the noise prediction held fixed) that is the
 * flat-prior value (1 − ᾱ)/ᾱ. A prior narrower than the noise makes x̂0 move less than that: J is smaller and the twist
 * both wider in x̄ and sharper in y.
 *
 * <p>{@link #TWEEDIE} keeps J = 1/√ᾱ at every step. {@link #recording} collects, in a pilot run, each step's weighted
 * least-squares slope of x̂0̄_q on x̄_q over the pilot's particles; {@link #at} then blends it with 1/√ᾱ geometrically,
 * the regressed slope taking over as ᾱ grows from {@value #FROM} to {@value #TO}: at higher noise the slope is small and
 * poorly estimated, and a twist sharper in y than the truth there left heavy-tailed weights (log Ẑ off by 0.5–1.5 on
 * inpaint64 with the regressed slope at every step). The slopes are fixed before the main run starts, so its potentials
 * are fixed functions and its Ẑ stays unbiased; any J keeps the weights exact, only their variance depends on it.
 */
final class McgDiffSlopes {

    /** ᾱ below which the slope is Tweedie's 1/√ᾱ. */
    static final double FROM = 0.05;
    /** ᾱ above which the slope is the regressed one. */
    static final double TO = 0.5;
    /** The regressed slope is kept within [LOW, HIGH]·1/√ᾱ. */
    private static final double LOW = 1e-3, HIGH = 2;

    /** Per sampling index i (the step that builds g_{i−1}), per coordinate; null: Tweedie's at every step. */
    private final double[][] regressed;

    private McgDiffSlopes(double[][] regressed) {
        this.regressed = regressed;
    }

    /** J = 1/√ᾱ at every step. */
    static final McgDiffSlopes TWEEDIE = new McgDiffSlopes(null);

    /** An empty table for a pilot of {@code steps} steps to fill with {@link #record}. */
    static McgDiffSlopes recording(int steps) {
        return new McgDiffSlopes(new double[steps + 1][]);
    }

    /**
     * Records step i's slopes: per coordinate q, the least-squares slope of x̂0̄_q on x̄_q over the K particles
     * ({@code xBar}, {@code x0Bar}: [K·r]) weighted by their normalised log-weights {@code logW}.
     */
    void record(int i, double[] xBar, double[] x0Bar, double[] logW, int r) {
        int k = logW.length;
        double[] w = new double[k];
        double top = Arrays.stream(logW).max().orElse(0), sw = 0;
        for (int p = 0; p < k; p++) sw += w[p] = Math.exp(logW[p] - top);
        double[] out = new double[r];
        for (int q = 0; q < r; q++) {
            double ma = 0, mb = 0;
            for (int p = 0; p < k; p++) {
                ma += w[p] * xBar[p * r + q];
                mb += w[p] * x0Bar[p * r + q];
            }
            ma /= sw;
            mb /= sw;
            double sxx = 0, sxy = 0;
            for (int p = 0; p < k; p++) {
                double a = xBar[p * r + q] - ma;
                sxx += w[p] * a * a;
                sxy += w[p] * a * (x0Bar[p * r + q] - mb);
            }
            out[q] = sxx > 0 ? sxy / sxx : Double.NaN;
        }
        regressed[i] = out;
    }

    /** The slopes recorded at step i (null where none were). */
    double[] recorded(int i) {
        return regressed == null ? null : regressed[i];
    }

    /** The slopes of g_{i−1} (built at step i, noise level {@code alphaBar} = ᾱ_{i−1}) for r coordinates. */
    double[] at(int i, double alphaBar, int r) {
        double tweedie = 1 / Math.sqrt(alphaBar);
        double[] out = new double[r];
        Arrays.fill(out, tweedie);
        double lambda = Math.min(1, Math.max(0, (alphaBar - FROM) / (TO - FROM)));
        if (regressed == null || regressed[i] == null || lambda == 0) return out;
        for (int q = 0; q < r; q++) {
            double j = regressed[i][q];
            if (!(j == j)) continue; // NaN: the pilot's particles did not spread in this coordinate
            j = Math.min(HIGH * tweedie, Math.max(LOW * tweedie, j));
            out[q] = Math.exp((1 - lambda) * Math.log(tweedie) + lambda * Math.log(j));
        }
        return out;
    }
}
