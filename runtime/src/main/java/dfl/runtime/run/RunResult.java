package dfl.runtime.run;

import dfl.plan.Shape;
import java.util.List;

/**
 * The outcome of a run.
 *
 * @param sampler        the sampler's name ({@code tds}, {@code dps}, {@code reverse}, ...)
 * @param seed           the master seed
 * @param steps          number of sampling steps
 * @param shape          per-sample shape
 * @param samples        N samples, each flattened row-major to prod(shape) floats
 * @param logWeights     normalised log-weights (log-sum-exp = 0); all −log N for unweighted samplers
 * @param logEvidence    estimate of log p(y) (SMC samplers), else NaN
 * @param stats          per-step statistics, in sampling order
 * @param seconds        wall time of the run
 * @param networkCalls   batched model evaluations (one per step for these samplers)
 * @param networkSeconds time inside model calls (forward and, where taken, the input-gradient pass)
 * @param levels         per-level MCMC statistics (acceptance, step size, evaluations) of annealed samplers, in the
 *                       order of {@code stats}; empty for the other samplers
 * @param runLogEvidence the evidence estimate of each of R independent populations ({@code tds(runs = R)}), whose
 *                       log mean is {@code logEvidence}; empty for a single population
 * @param warnings       run-time warnings found by the runtime with the model at hand (W0006: samples far outside the
 *                       prior's range, or evidence below the floor the prior's range allows); the report adds W0005
 */
public record RunResult(String sampler, long seed, int steps, Shape shape, float[][] samples, double[] logWeights,
        double logEvidence, List<StepStats> stats, double seconds, long networkCalls, double networkSeconds,
        List<dfl.runtime.run.LevelStats> levels, List<Double> runLogEvidence, List<dfl.diag.Diagnostic> warnings) {

    public RunResult {
        levels = levels == null ? List.of() : List.copyOf(levels);
        runLogEvidence = runLogEvidence == null ? List.of() : List.copyOf(runLogEvidence);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A result without run-time warnings. */
    public RunResult(String sampler, long seed, int steps, Shape shape, float[][] samples, double[] logWeights,
            double logEvidence, List<StepStats> stats, double seconds, long networkCalls, double networkSeconds,
            List<dfl.runtime.run.LevelStats> levels, List<Double> runLogEvidence) {
        this(sampler, seed, steps, shape, samples, logWeights, logEvidence, stats, seconds, networkCalls, networkSeconds,
                levels, runLogEvidence, List.of());
    }

    /** This result with {@code more} run-time warnings added. */
    public RunResult withWarnings(List<dfl.diag.Diagnostic> more) {
        if (more.isEmpty()) return this;
        List<dfl.diag.Diagnostic> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new RunResult(sampler, seed, steps, shape, samples, logWeights, logEvidence, stats, seconds, networkCalls,
                networkSeconds, levels, runLogEvidence, all);
    }

    /** A result of one population. */
    public RunResult(String sampler, long seed, int steps, Shape shape, float[][] samples, double[] logWeights,
            double logEvidence, List<StepStats> stats, double seconds, long networkCalls, double networkSeconds,
            List<dfl.runtime.run.LevelStats> levels) {
        this(sampler, seed, steps, shape, samples, logWeights, logEvidence, stats, seconds, networkCalls, networkSeconds,
                levels, List.of());
    }

    /** A result without MCMC level statistics (the one-prior samplers). */
    public RunResult(String sampler, long seed, int steps, Shape shape, float[][] samples, double[] logWeights,
            double logEvidence, List<StepStats> stats, double seconds, long networkCalls, double networkSeconds) {
        this(sampler, seed, steps, shape, samples, logWeights, logEvidence, stats, seconds, networkCalls, networkSeconds,
                List.of());
    }

    /** This result with per-level MCMC statistics attached. */
    public RunResult withLevels(List<dfl.runtime.run.LevelStats> newLevels) {
        return new RunResult(sampler, seed, steps, shape, samples, logWeights, logEvidence, stats, seconds, networkCalls,
                networkSeconds, newLevels, runLogEvidence, warnings);
    }

    /** Number of samples N. */
    public int particles() {
        return samples.length;
    }

    /**
     * The statistics of the last step that resampled, if any: its {@code essBefore} is the ESS of the population
     * the output descends from, which the ESS after the final reweighting hides once resampling has duplicated particles.
     */
    public java.util.Optional<StepStats> lastResampling() {
        for (int i = stats.size() - 1; i >= 0; i--) if (stats.get(i).resampled()) return java.util.Optional.of(stats.get(i));
        return java.util.Optional.empty();
    }

    /** How many steps had an ESS below {@code threshold} before their resampling decision. */
    public int stepsWithEssBefore(double threshold) {
        return (int) stats.stream().filter(s -> s.essBefore() < threshold).count();
    }

    /** The number of distinct sample rows with non-zero weight (copies made by resampling count once). */
    public int distinctSamples() {
        // keyed by Arrays.hashCode (all bits of each float): FloatBuffer's hash truncates floats to ints, so rows within
        // (-1, 1) all collided and K = 10^5 took minutes here
        record Row(float[] v) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Row r && java.util.Arrays.equals(v, r.v);
            }

            @Override
            public int hashCode() {
                return java.util.Arrays.hashCode(v);
            }
        }
        java.util.Set<Row> rows = new java.util.HashSet<>();
        for (int i = 0; i < samples.length; i++) {
            if (logWeights[i] > Double.NEGATIVE_INFINITY) rows.add(new Row(samples[i]));
        }
        return rows.size();
    }

    /** ESS of the output weights, 1/Σw², in [1, N]. */
    public double outputEss() {
        return dfl.runtime.smc.Ess.of(weights());
    }

    /** Normalised weights exp(logWeights). */
    public double[] weights() {
        double[] w = new double[logWeights.length];
        for (int i = 0; i < w.length; i++) w[i] = Math.exp(logWeights[i]);
        return w;
    }

    /** Weighted mean of the samples, flattened. */
    public double[] weightedMean() {
        double[] w = weights();
        int d = samples[0].length;
        double[] m = new double[d];
        for (int i = 0; i < samples.length; i++) {
            for (int j = 0; j < d; j++) m[j] += w[i] * samples[i][j];
        }
        return m;
    }

    /** Weighted covariance of the samples (flattened dimensions). */
    public double[][] weightedCovariance() {
        double[] w = weights();
        double[] m = weightedMean();
        int d = m.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < samples.length; i++) {
            for (int a = 0; a < d; a++) {
                double da = samples[i][a] - m[a];
                for (int b = 0; b < d; b++) c[a][b] += w[i] * da * (samples[i][b] - m[b]);
            }
        }
        return c;
    }
}
