package dfl.runtime.smc;

import dfl.plan.SamplerSpec.Resampling;
import java.util.SplittableRandom;

/**
 * Resampling schemes: each returns K ancestor indices drawn so that E[#children of i] = K w_i.
 * Systematic and stratified use one/K uniforms with the inverse CDF; residual keeps ⌊K w_i⌋ copies and
 * draws the rest multinomially from the residual weights.
 */
public final class Resampler {

    private Resampler() {}

    /** Ancestors for normalised weights {@code w} under {@code scheme}, using {@code rng}. */
    public static int[] resample(Resampling scheme, double[] w, SplittableRandom rng) {
        return switch (scheme) {
            case SYSTEMATIC -> systematic(w, rng);
            case STRATIFIED -> stratified(w, rng);
            case MULTINOMIAL -> multinomial(w, w.length, rng);
            case RESIDUAL -> residual(w, rng);
        };
    }

    static int[] systematic(double[] w, SplittableRandom rng) {
        int k = w.length;
        double u0 = rng.nextDouble();
        double[] u = new double[k];
        for (int i = 0; i < k; i++) u[i] = (i + u0) / k;
        return inverseCdf(w, u);
    }

    static int[] stratified(double[] w, SplittableRandom rng) {
        int k = w.length;
        double[] u = new double[k];
        for (int i = 0; i < k; i++) u[i] = (i + rng.nextDouble()) / k;
        return inverseCdf(w, u);
    }

    static int[] multinomial(double[] w, int n, SplittableRandom rng) {
        // sorted uniforms from normalised exponential spacings, then one merge pass
        double[] u = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += -StrictMath.log(1 - rng.nextDouble());
            u[i] = acc;
        }
        double total = acc - StrictMath.log(1 - rng.nextDouble());
        for (int i = 0; i < n; i++) u[i] /= total;
        return inverseCdf(w, u);
    }

    static int[] residual(double[] w, SplittableRandom rng) {
        int k = w.length;
        int[] out = new int[k];
        double[] res = new double[k];
        int pos = 0;
        for (int i = 0; i < k; i++) {
            int copies = (int) Math.floor(k * w[i]);
            for (int c = 0; c < copies; c++) out[pos++] = i;
            res[i] = k * w[i] - copies;
        }
        int rest = k - pos;
        if (rest > 0) {
            double s = 0;
            for (double v : res) s += v;
            for (int i = 0; i < k; i++) res[i] /= s;
            int[] extra = multinomial(res, rest, rng);
            System.arraycopy(extra, 0, out, pos, rest);
        }
        return out;
    }

    /** For sorted u in [0,1), the index i with cdf_{i-1} ≤ u < cdf_i; guards against rounding at the top. */
    private static int[] inverseCdf(double[] w, double[] u) {
        int k = w.length;
        int last = k - 1;
        while (last > 0 && w[last] <= 0) last--; // never pick a zero-weight tail because the cdf summed to 1 − ε
        int[] out = new int[u.length];
        double cdf = w[0];
        int i = 0;
        for (int j = 0; j < u.length; j++) {
            while (u[j] >= cdf && i < last) {
                i++;
                cdf += w[i];
            }
            out[j] = i;
        }
        return out;
    }

    /** Number of distinct indices in {@code ancestors}. */
    public static int unique(int[] ancestors, int k) {
        boolean[] seen = new boolean[k];
        int n = 0;
        for (int a : ancestors) {
            if (!seen[a]) {
                seen[a] = true;
                n++;
            }
        }
        return n;
    }
}
