package dfl.runtime.output;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.LikelihoodFamily;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.RuntimeProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * An observed image drawn beside the samples in {@code samples.png}: the data {@code y} of one
 * {@code observe y ~ Normal(G(x), σ)} (counts and 0/1 data of Poisson and Bernoulli observations stretched to the image
 * range), and which of its pixels {@code G} actually observes.
 *
 * @param height   rows of the image
 * @param width    columns of the image
 * @param values   pixel values in the model's data range [−1, 1], row-major
 * @param observed per pixel, whether the observation constrains it; pixels a mask hides are drawn as unobserved
 */
public record ObservationPanel(int height, int width, float[] values, boolean[] observed) {

    /**
     * The panels of a plan's image observations; empty when the latent is not an image or no observation is one.
     * A mask is recognised without knowing how {@code G} was written: for an elementwise 0/1 mask,
     * {@code G(1) − G(0)} is the mask itself, so pixels where it is 0 are unobserved.
     */
    public static List<ObservationPanel> of(SamplerPlan plan, RuntimeProvider provider) {
        List<ObservationPanel> panels = new ArrayList<>();
        Shape latent = plan.latent().shape();
        if (!SampleGrid.isImage(latent.toArray())) return panels;
        try (ExprEvaluator ev = new ExprEvaluator(provider, DataType.FLOAT32); NDManager m = NDManager.newBaseManager()) {
            for (SamplerPlan.Likelihood l : plan.likelihoods()) {
                int[] ds = l.data().shape().toArray();
                if (!SampleGrid.isImage(ds)) continue;
                int h = ds[ds.length - 2], w = ds[ds.length - 1];
                float[] y = ev.constant(l.data(), m).toFloatArray();
                if (l.family() instanceof LikelihoodFamily.Poisson || l.family() instanceof LikelihoodFamily.Bernoulli) toImageRange(y);
                boolean[] observed = new boolean[y.length];
                java.util.Arrays.fill(observed, true);
                double[] mask = l.data().shape().equals(latent) ? new LikelihoodTerm(l, ev).unitResponse(latent, m) : null;
                if (mask != null && isMask(mask)) {
                    for (int i = 0; i < y.length; i++) observed[i] = mask[i] != 0;
                }
                panels.add(new ObservationPanel(h, w, y, observed));
            }
        }
        return panels;
    }

    /** Counts and 0/1 outcomes are not on the latent's scale: drawn with their smallest value black, their largest white. */
    private static void toImageRange(float[] y) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : y) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (int i = 0; i < y.length; i++) y[i] = hi > lo ? 2 * (y[i] - lo) / (hi - lo) - 1 : 0;
    }

    /** Whether every entry is 0 or 1. */
    private static boolean isMask(double[] v) {
        for (double e : v) if (e != 0 && Math.abs(e - 1) > 1e-6) return false;
        return true;
    }
}
