package dfl.runtime.output;

import dfl.plan.SamplerSpec.Resampling;
import dfl.runtime.smc.Resampler;
import java.util.SplittableRandom;

/**
 * Equal-weight draws from weighted samples, for tools that expect plain draws ({@code draws.npy}): N ancestors chosen by
 * systematic resampling of the normalised weights (each sample is copied ⌊N w_i⌋ or ⌈N w_i⌉ times), then put in a
 * random order so that any prefix is itself a draw. Both use one stream seeded with the run's seed, so the same run gives
 * the same draws. Samples that already have equal weights (MCMC, reverse, DPS) are returned unchanged.
 */
public final class Draws {

    private Draws() {}

    /** The draws of the rows of {@code samples} (what draws.npy holds for a run with this seed), one copy per draw. */
    public static float[][] of(float[][] samples, double[] weights, long seed) {
        int[] ancestors = ancestors(weights, seed);
        float[][] out = new float[samples.length][];
        for (int i = 0; i < out.length; i++) out[i] = samples[ancestors == null ? i : ancestors[i]].clone();
        return out;
    }

    /** The draws of {@code n = weights.length} samples of {@code d} values each, flattened row-major like {@code samples}. */
    static float[] of(float[] samples, int d, double[] weights, long seed) {
        int[] ancestors = ancestors(weights, seed);
        if (ancestors == null) return samples;
        float[] out = new float[samples.length];
        for (int i = 0; i < ancestors.length; i++) System.arraycopy(samples, ancestors[i] * d, out, i * d, d);
        return out;
    }

    /** The ancestor of each draw, or null when the weights are all equal (the samples are the draws). */
    static int[] ancestors(double[] weights, long seed) {
        int n = weights.length;
        boolean equal = true;
        for (double w : weights) equal &= Math.abs(w * n - 1) < 1e-9;
        if (equal) return null;
        SplittableRandom rng = new SplittableRandom(seed);
        int[] a = Resampler.resample(Resampling.SYSTEMATIC, weights, rng);
        for (int i = n - 1; i > 0; i--) { // Fisher–Yates: systematic resampling returns the ancestors sorted
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
