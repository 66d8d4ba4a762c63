package dfl.api;

import dfl.plan.SamplerPlan;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.output.RunOutputs;
import dfl.runtime.sampler.RunResult;
import dfl.runtime.sampler.StepStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The samples of one run and how the sampler fared: samples with their normalised weights, the
 * log-evidence estimate (SMC samplers), and per-step statistics.
 */
public final class Result {

    private final SamplerPlan plan;
    private final RunResult run;
    private final RuntimeProvider provider;

    Result(SamplerPlan plan, RunResult run, RuntimeProvider provider) {
        this.plan = plan;
        this.run = run;
        this.provider = provider;
    }

    /** The sampler's name ({@code tds}, {@code dps}, {@code reverse}, ...). */
    public String sampler() {
        return run.sampler();
    }

    /** The master seed. */
    public long seed() {
        return run.seed();
    }

    /** Number of samples N. */
    public int size() {
        return run.particles();
    }

    /** The shape of one sample, e.g. {@code [2]} or {@code [1, 28, 28]}. */
    public int[] shape() {
        return run.shape().toArray();
    }

    /** N samples, each flattened row-major to the product of {@link #shape()} floats (a copy). */
    public float[][] samples() {
        float[][] s = new float[run.samples().length][];
        for (int i = 0; i < s.length; i++) s[i] = run.samples()[i].clone();
        return s;
    }

    /** Normalised weights (they sum to 1); all 1/N for unweighted samplers. */
    public double[] weights() {
        return run.weights();
    }

    /** Normalised log-weights (their log-sum-exp is 0). */
    public double[] logWeights() {
        return run.logWeights().clone();
    }

    /** The estimate of log p(y) (SMC samplers); empty for samplers that do not estimate it. */
    public OptionalDouble logEvidence() {
        return Double.isNaN(run.logEvidence()) ? OptionalDouble.empty() : OptionalDouble.of(run.logEvidence());
    }

    /** The weighted mean of the samples, flattened. */
    public double[] mean() {
        return run.weightedMean();
    }

    /** The weighted covariance of the flattened samples. */
    public double[][] covariance() {
        return run.weightedCovariance();
    }

    /** Statistics of every step in sampling order: ESS, largest weight, resampling, timing. */
    public List<StepStats> steps() {
        return run.stats();
    }

    /** Wall time of the run in seconds. */
    public double seconds() {
        return run.seconds();
    }

    /** Batched model evaluations. */
    public long networkCalls() {
        return run.networkCalls();
    }

    /** The runtime's result record, for code that uses the runtime directly (e.g. plotting). */
    public RunResult runResult() {
        return run;
    }

    /**
     * Writes what {@code dfl run} writes into {@code dir} (samples.npy, log_weights.npy, summary.json,
     * trace.csv, samples.png for images), each file atomically.
     *
     * @return the files written
     */
    public List<Path> writeTo(Path dir) throws IOException {
        return RunOutputs.writeAll(dir, plan, run, provider);
    }

    /** One line: sampler, sizes, final ESS, log-evidence and time. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(run.sampler()).append(": ").append(run.particles()).append(" samples, ").append(run.steps()).append(" steps");
        if (!run.stats().isEmpty()) sb.append(String.format(Locale.ROOT, ", final ESS %.1f", run.stats().get(run.stats().size() - 1).ess()));
        logEvidence().ifPresent(z -> sb.append(String.format(Locale.ROOT, ", log p̂(y) = %.4f", z)));
        sb.append(String.format(Locale.ROOT, ", %.2f s", run.seconds()));
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Result[" + summary() + "]";
    }
}
