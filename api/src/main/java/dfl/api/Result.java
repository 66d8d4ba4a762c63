package dfl.api;

import dfl.plan.SamplerPlan;
import dfl.runtime.model.RuntimeProvider;
import dfl.diag.Diagnostic;
import dfl.runtime.output.Draws;
import dfl.runtime.output.RunOutputs;
import dfl.runtime.output.RunRecord;
import dfl.runtime.output.RunReport;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The samples of one run and how the sampler fared: samples with their normalised weights, the
 * log-evidence estimate (SMC samplers), and per-step statistics.
 */
public final class Result {

    private final SamplerPlan plan;
    private final RunResult run;
    private final RuntimeProvider provider;
    private final RunReport report;
    private final RunRecord record;

    Result(SamplerPlan plan, RunResult run, RuntimeProvider provider, RunRecord record) {
        this.plan = plan;
        this.run = run;
        this.provider = provider;
        this.report = RunReport.of(plan, run);
        this.record = record;
    }

    /**
     * How the run was made: command line, overrides, the program's path and SHA-256, the data and model files it read
     * with their SHA-256, when it started and its threads (what summary.json records).
     */
    public RunRecord record() {
        return record;
    }

    /** The plan that was run (with any size override). */
    public SamplerPlan plan() {
        return plan;
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

    /**
     * N equal-weight draws from the weighted samples, as draws.npy holds them: systematic resampling of the weights
     * with the run's seed, in random order (copies of one sample where its weight is large); the samples themselves
     * when their weights are equal.
     */
    public float[][] draws() {
        return Draws.of(run.samples(), run.weights(), run.seed());
    }

    /** Normalised weights (they sum to 1); all 1/N for unweighted samplers. */
    public double[] weights() {
        return run.weights();
    }

    /** Normalised log-weights (their log-sum-exp is 0). */
    public double[] logWeights() {
        return run.logWeights().clone();
    }

    /**
     * The estimate of log p(y) (SMC samplers), or of log Z for a composition without observations; empty for samplers
     * that do not estimate it and for programs with nothing to estimate (no observations, a bare diffusion prior).
     */
    public OptionalDouble logEvidence() {
        return report.evidence();
    }

    /** The ESS of the population entering the last resampling (what the output descends from); empty when no step resampled. */
    public OptionalDouble essBeforeLastResampling() {
        return report.resampled() ? OptionalDouble.of(report.essBeforeLastResampling()) : OptionalDouble.empty();
    }

    /**
     * The distinct particles that the last resampling kept (every sample descends from one of them, so this bounds how
     * varied the output is); empty when no step resampled.
     */
    public OptionalInt uniqueAncestorsLastResampling() {
        return report.resampled() ? OptionalInt.of(report.ancestorsLastResampling()) : OptionalInt.empty();
    }

    /** The number of distinct samples with non-zero weight (copies made by resampling count once). */
    public int distinctSamples() {
        return report.distinct();
    }

    /** Run-time warnings: {@link dfl.diag.Code#W0005} when the weights collapsed onto few particles. */
    public List<Diagnostic> warnings() {
        return report.warnings();
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
     * Writes what {@code dfl run} writes into {@code dir} (samples.npy, log_weights.npy, draws.npy, summary.json with
     * the {@link #record()}, trace.csv, samples.png for images); the folder is replaced as a unit.
     *
     * @return the files written
     */
    public List<Path> writeTo(Path dir) throws IOException {
        return RunOutputs.writeAll(dir, plan, run, provider, record);
    }

    /**
     * The summary line {@code dfl run} and the REPL print (without the output folder): sampler, sizes, the ESS before
     * the last resampling and at the end, distinct samples, the evidence where meaningful, the mean of latents of up to
     * 8 values, and the time.
     */
    public String summary() {
        return report.line();
    }

    @Override
    public String toString() {
        return "Result[" + summary() + "]";
    }
}
