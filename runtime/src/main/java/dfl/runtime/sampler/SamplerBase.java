package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.runtime.rng.ParticleStreams;
import dfl.runtime.schedule.RespacedSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import dfl.runtime.run.FiniteOutputs;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;

/**
 * What the one-prior samplers share: the respaced schedule, particle state as plain double arrays
 * ([K·d], particle-major), per-particle noise streams, the batched evaluator and the step bookkeeping.
 */
abstract class SamplerBase {

    final Target target;
    final RespacedSchedule schedule;
    final int k;
    final int d;
    final RunOptions options;
    final StepListener listener;
    final ParticleStreams streams;
    final StepEvaluator evaluator;
    final List<StepStats> stats = new ArrayList<>();

    SamplerBase(Target target, int particles, int steps, RunOptions options, StepListener listener, NDManager manager) {
        this(target, particles, steps, dfl.plan.SamplerSpec.Spacing.UNIFORM, options, listener, manager);
    }

    SamplerBase(Target target, int particles, int steps, dfl.plan.SamplerSpec.Spacing spacing, RunOptions options,
            StepListener listener, NDManager manager) {
        this(target, particles, steps, spacing, options, listener, manager, new ParticleStreams(options.seed(), particles));
    }

    /** With the particles' streams given ({@code particles} of them): several observations' populations in one batch. */
    SamplerBase(Target target, int particles, int steps, dfl.plan.SamplerSpec.Spacing spacing, RunOptions options,
            StepListener listener, NDManager manager, ParticleStreams streams) {
        if (particles < 1) throw new IllegalArgumentException("particles must be positive, got " + particles);
        this.target = target;
        this.schedule = target.prior().schedule().respace(steps, spacing);
        this.k = particles;
        this.d = (int) target.shape().size();
        this.options = options;
        this.listener = listener;
        this.streams = streams;
        this.evaluator = new StepEvaluator(target, manager, particles);
    }

    /** x_T ~ N(0, I) per particle. */
    double[] initialNoise() {
        double[] x = new double[k * d];
        streams.fillNormal(x, d);
        return x;
    }

    /** Tweedie's x̂0 = (x − √(1−ᾱ) ε̂)/√ᾱ, plus {@code shift}·grad when grad is given. */
    double[] x0hat(double[] x, double[] eps, double alphaBar, double[] grad, double shift) {
        double a = Math.sqrt(1 - alphaBar), b = 1 / Math.sqrt(alphaBar);
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = (x[j] - a * eps[j]) * b + (grad == null ? 0 : shift * grad[j]);
        }
        return out;
    }

    /** The reverse-step mean from x_i and x̂0. */
    double[] reverseMean(int i, double[] x, double[] x0) {
        double c0 = schedule.meanCoefX0(i), c1 = schedule.meanCoefXt(i);
        double[] mu = new double[x.length];
        for (int j = 0; j < x.length; j++) mu[j] = c0 * x0[j] + c1 * x[j];
        return mu;
    }

    /** mean + √var · z with z from each particle's stream. */
    double[] perturb(double[] mean, double var) {
        double[] z = new double[mean.length];
        streams.fillNormal(z, d);
        double s = Math.sqrt(var);
        double[] out = new double[mean.length];
        for (int j = 0; j < out.length; j++) out[j] = mean[j] + s * z[j];
        return out;
    }

    void checkCancelled(int step) {
        if (options.cancel().get() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("run cancelled at sampling step " + step);
        }
    }

    void record(StepStats s) {
        stats.add(s);
        listener.onStep(stats.size(), schedule.steps(), s);
    }

    /** The first sampling step whose state held a value beyond the float32 range (0: none yet); see {@link #watchRange}. */
    private int leftFloat32At;

    /** Notes the first step at which the state {@code x} leaves the range samples.npy can hold, for E0303's message. */
    void watchRange(int step, double[] x) {
        if (leftFloat32At == 0 && FiniteOutputs.firstOutsideFloat32(x) >= 0) leftFloat32At = step;
    }

    /** The final state as float32 rows; E0303 where a value is not finite in float32 (see {@link FiniteOutputs}). */
    float[][] toSamples(double[] x) {
        return toSamples(x, k);
    }

    /** {@link #toSamples(double[])} for {@code x} of {@code particles} rows (one population of a batch). */
    float[][] toSamples(double[] x, int particles) {
        String after = "the last sampling step" + (leftFloat32At == 0 ? "" : " (the state first left the float32 range at "
                + "sampling step " + leftFloat32At + ", counting down from " + schedule.steps() + ")");
        return FiniteOutputs.toFloat32(x, particles, d, after);
    }

    /** Rows {@code anc[p]} of a particle-major array with {@code width} values per particle. */
    static double[] gather(double[] a, int[] anc, int width) {
        double[] out = new double[anc.length * width];
        for (int p = 0; p < anc.length; p++) System.arraycopy(a, anc[p] * width, out, p * width, width);
        return out;
    }

    /** One step x_i → x_{i−1} of an unweighted sampler. */
    interface UnweightedStep {
        double[] next(int i, double[] x);
    }

    /** The reverse chain from x_T with equal weights (no resampling, no evidence), one {@code step} per index. */
    RunResult runUnweighted(String name, UnweightedStep step) {
        long start = System.nanoTime();
        double[] x = initialNoise();
        for (int i = schedule.steps(); i >= 1; i--) {
            long stepStart = System.nanoTime();
            checkCancelled(i);
            x = step.next(i, x);
            watchRange(i, x);
            record(new StepStats(i, schedule.trainStep(i), k, false, k, k, 1.0 / k, 0.0, (System.nanoTime() - stepStart) * 1e-9));
        }
        return result(name, x, uniformLogWeights(k), Double.NaN, start);
    }

    /** The run's result from the final particles, their normalised log-weights and the evidence estimate. */
    RunResult result(String name, double[] x, double[] normalisedLogW, double logEvidence, long startNanos) {
        return new RunResult(name, options.seed(), schedule.steps(), target.shape(), toSamples(x), normalisedLogW,
                logEvidence, List.copyOf(stats), (System.nanoTime() - startNanos) * 1e-9, evaluator.networkCalls(),
                evaluator.networkSeconds());
    }

    static double[] uniformLogWeights(int k) {
        double[] w = new double[k];
        java.util.Arrays.fill(w, -StrictMath.log(k));
        return w;
    }
}
