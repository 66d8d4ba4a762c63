package dfl.runtime.schedule;

import dfl.diag.Code;
import dfl.plan.SamplerSpec;
import dfl.runtime.DflRuntimeException;

/**
 * T sampling steps chosen from the training steps, with the respaced β's derived from the kept ᾱ's as
 * in improved-DDPM: β_i = 1 − ᾱ_i / ᾱ_{i−1} (ᾱ before the first kept step is 1). Sampling index
 * i = 1 .. T runs from noise (i = T) to data; {@link #trainStep(int)} maps it to the training step the
 * model is evaluated at.
 *
 * <p>The reverse transition p(x_{i−1} | x_i) is the DDPM posterior q(x_{i−1} | x_i, x̂0) with variance
 * β̃_i = β_i (1 − ᾱ_{i−1}) / (1 − ᾱ_i); at i = 1 that variance is 0, so the last step returns the mean.
 */
public final class RespacedSchedule {

    private final NoiseSchedule base;
    private final int[] trainStep;   // index 1..T
    private final double[] alphaBar; // index 0..T, alphaBar[0] = 1

    private RespacedSchedule(NoiseSchedule base, int[] trainStep, double[] alphaBar) {
        this.base = base;
        this.trainStep = trainStep;
        this.alphaBar = alphaBar;
    }

    static RespacedSchedule of(NoiseSchedule base, int steps, SamplerSpec.Spacing spacing) {
        int n = base.trainSteps();
        if (steps < 1 || steps > n) {
            // reachable from --steps, the REPL and the embedding API: a user error, not a bug
            throw new DflRuntimeException(Code.E0113, steps + " sampling steps asked for, but the model's noise schedule has "
                    + n + " training steps: use 1 to " + n + " steps");
        }
        int[] ts = new int[steps + 1];
        double[] ab = new double[steps + 1];
        ab[0] = 1.0;
        // spaced over [0, n-1] (evenly or quadratically), always including the last training step, rounded as
        // improved-DDPM does
        for (int i = 1; i <= steps; i++) {
            double u = steps == 1 ? 1 : (double) (i - 1) / (steps - 1);
            double frac = switch (spacing) {
                case UNIFORM -> u * (n - 1);
                case QUADRATIC -> u * u * (n - 1);
                case TAIL -> tail(i, steps, n);
            };
            ts[i] = (int) Math.round(frac);
            if (i > 1) ts[i] = Math.max(ts[i], ts[i - 1] + 1); // quadratic spacing would repeat the first steps
            ab[i] = base.alphaBar(ts[i]);
        }
        return new RespacedSchedule(base, ts, ab);
    }

    /**
     * The training step of sampling index i under tail spacing: the T/5 indices nearest the data (at least one) at
     * training steps 0, 1, 2, ..., the rest evenly spaced up to the last training step.
     */
    private static double tail(int i, int steps, int n) {
        if (steps == 1) return n - 1;
        int fine = Math.max(1, steps / 5);
        return i <= fine ? i - 1 : fine - 1 + (double) (i - fine) * (n - fine) / (steps - fine);
    }

    /** Number of sampling steps T. */
    public int steps() {
        return trainStep.length - 1;
    }

    /** The training schedule this one was respaced from. */
    public NoiseSchedule base() {
        return base;
    }

    /** The training step for sampling index i ∈ 1..T. */
    public int trainStep(int i) {
        return trainStep[i];
    }

    /** ᾱ_i for i ∈ 0..T (ᾱ_0 = 1: clean data). */
    public double alphaBar(int i) {
        return alphaBar[i];
    }

    /** Respaced β_i = 1 − ᾱ_i/ᾱ_{i−1}, i ∈ 1..T. */
    public double beta(int i) {
        return 1 - alphaBar[i] / alphaBar[i - 1];
    }

    /** Reverse-step variance β̃_i = β_i (1 − ᾱ_{i−1}) / (1 − ᾱ_i). */
    public double posteriorVariance(int i) {
        return beta(i) * (1 - alphaBar[i - 1]) / (1 - alphaBar[i]);
    }

    /** Coefficient of x̂0 in the reverse-step mean: √ᾱ_{i−1} β_i / (1 − ᾱ_i). */
    public double meanCoefX0(int i) {
        return Math.sqrt(alphaBar[i - 1]) * beta(i) / (1 - alphaBar[i]);
    }

    /** Coefficient of x_i in the reverse-step mean: √(1 − β_i) (1 − ᾱ_{i−1}) / (1 − ᾱ_i). */
    public double meanCoefXt(int i) {
        return Math.sqrt(1 - beta(i)) * (1 - alphaBar[i - 1]) / (1 - alphaBar[i]);
    }
}
