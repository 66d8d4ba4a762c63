package dfl.runtime.smc;

import dfl.diag.Code;
import dfl.plan.SamplerSpec;
import dfl.runtime.DflRuntimeException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The importance weights of K particles through one SMC run, and the evidence they estimate: reweighting with the
 * numerical checks, ESS, adaptive resampling (which banks the log mean weight into the evidence and resets the weights)
 * and the final normalised weights. The samplers keep the particles themselves and gather them with the ancestors this
 * class returns.
 *
 * <p>Log-weights are unnormalised between resamplings; a particle at −∞ (zero weight) stays there. NaN or +∞ is a
 * numerical failure (E0303) reported with the step where it began; all weights zero is E0304.
 */
public final class ParticleWeights {

    /** What a resampling decision did: the ESS it saw, the ancestors (null when it kept the particles), distinct ones. */
    public record Resampling(double essBefore, int[] ancestors, int unique) {
        public boolean resampled() {
            return ancestors != null;
        }
    }

    private final int k;
    private final double[] logW;
    private double bankedLogZ;

    /** K particles with the initial log-weights {@code initial} (checked at sampling step {@code step}). */
    public ParticleWeights(double[] initial, int step) {
        this(initial, "sampling step " + step);
    }

    /** K particles with the initial log-weights {@code initial}, checked; {@code where} names the position in messages. */
    public ParticleWeights(double[] initial, String where) {
        this.k = initial.length;
        this.logW = initial.clone();
        check(where, "the initial weights");
    }

    /** K particles of equal weight. */
    public ParticleWeights(int k) {
        this.k = k;
        this.logW = new double[k];
    }

    /** log of the mean weight since the last resampling. */
    public double logMeanWeight() {
        return LogSumExp.of(logW) - StrictMath.log(k);
    }

    /** ESS of the current weights, in [1, K]. */
    public double ess() {
        return Ess.of(LogSumExp.normalise(logW));
    }

    /** The largest normalised weight. */
    public double maxWeight() {
        return Ess.max(LogSumExp.normalise(logW));
    }

    /** Normalised log-weights (log-sum-exp 0). */
    public double[] normalisedLog() {
        return LogSumExp.normaliseLog(logW);
    }

    /**
     * Resamples with {@code scheme} when ESS &lt; {@code threshold}·K: the log mean weight goes into the evidence and the
     * weights become equal. Returns what happened; the caller gathers its particles with the ancestors.
     */
    public Resampling resampleIfBelow(double threshold, SamplerSpec.Resampling scheme, SplittableRandom rng) {
        double[] w = LogSumExp.normalise(logW);
        double essBefore = Ess.of(w);
        if (!(essBefore < threshold * k)) return new Resampling(essBefore, null, k);
        bankedLogZ += logMeanWeight();
        int[] anc = Resampler.resample(scheme, w, rng);
        Arrays.fill(logW, 0.0);
        return new Resampling(essBefore, anc, Resampler.unique(anc, k));
    }

    /**
     * logW += incr per particle at sampling step {@code step}, with the numerical checks; returns this step's factor of
     * the evidence estimate, log Σ w·incr − log Σ w.
     */
    public double reweight(double[] incr, int step) {
        return reweight(incr, "sampling step " + step);
    }

    /** {@link #reweight(double[], int)} at a position named by {@code where} (e.g. "annealing level 7"). */
    public double reweight(double[] incr, String where) {
        double before = LogSumExp.of(logW);
        for (int p = 0; p < k; p++) {
            // −∞ + anything stays −∞ (−∞ − −∞ would be NaN)
            logW[p] = logW[p] == Double.NEGATIVE_INFINITY ? logW[p] : logW[p] + incr[p];
            if (Double.isNaN(logW[p]) || logW[p] == Double.POSITIVE_INFINITY) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at " + where
                        + ": the incremental weight of particle " + p + " is " + incr[p]);
            }
        }
        check(where, "the weights");
        return LogSumExp.of(logW) - before;
    }

    /** The evidence estimate so far: the banked log mean weights plus the current one. */
    public double logEvidence() {
        return bankedLogZ + logMeanWeight();
    }

    /** NaN or +∞ in the log-weights is a numerical failure; all −∞ means the observations are impossible. */
    private void check(String where, String what) {
        boolean any = false;
        for (double v : logW) {
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at " + where + ": " + what
                        + " contain " + (Double.isNaN(v) ? "NaN" : "+infinity"));
            }
            any |= v > Double.NEGATIVE_INFINITY;
        }
        if (!any) {
            throw new DflRuntimeException(Code.E0304, "all " + k + " particle weights are zero at " + where
                    + ": the observations are too unlikely under every particle; try a larger σ or more particles");
        }
    }
}
