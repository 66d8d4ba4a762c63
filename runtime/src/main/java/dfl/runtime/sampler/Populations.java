package dfl.runtime.sampler;

import dfl.plan.SamplerSpec;
import dfl.runtime.smc.Ess;
import dfl.runtime.smc.LogSumExp;
import dfl.runtime.smc.ParticleWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dfl.runtime.rng.ParticleStreams;
import dfl.runtime.run.StepStats;

/**
 * The weights of {@code tds(runs = R)}: R independent populations of K particles, stored as consecutive blocks of
 * one R·K batch, each with its own {@link ParticleWeights} (resampling never mixes runs). The pooled output gives
 * every run the same total weight 1/R; the evidence estimate is the mean of the runs' Ẑ (unbiased, like each one).
 * With one run every figure is that run's own. Each run's own step statistics are kept too ({@link #runStats}), for
 * populations that are separate observations sampled in one batch.
 */
final class Populations {

    /** A resampling decision over all runs: global ancestors (null when no run resampled). */
    record Resampling(double essBefore, int[] ancestors, int unique) {
        boolean resampled() {
            return ancestors != null;
        }
    }

    private final ParticleWeights[] runs;
    private final int k;
    /** Per run: the last resampling decision, the last step's evidence factor, the initial weighting's share, its steps. */
    private final ParticleWeights.Resampling[] lastResampling;
    private final double[] lastFactor;
    private final double[] pending;
    private final List<List<StepStats>> runSteps = new ArrayList<>();

    /** R = {@code runs} populations with the initial log-weights {@code initial} (R·K values, run-major). */
    Populations(double[] initial, int runs, int step) {
        this.k = initial.length / runs;
        this.runs = new ParticleWeights[runs];
        this.lastResampling = new ParticleWeights.Resampling[runs];
        this.lastFactor = new double[runs];
        this.pending = new double[runs];
        for (int r = 0; r < runs; r++) {
            this.runs[r] = new ParticleWeights(Arrays.copyOfRange(initial, r * k, (r + 1) * k), step);
            pending[r] = this.runs[r].logMeanWeight();
            runSteps.add(new ArrayList<>());
        }
    }

    /** The mean over runs of the log mean weight (the initial weighting's share of the reported increments). */
    double logMeanWeight() {
        double s = 0;
        for (ParticleWeights w : runs) s += w.logMeanWeight();
        return s / runs.length;
    }

    /** Each run resamples by itself, with its own stream, when its ESS falls below {@code threshold}·K. */
    Resampling resampleIfBelow(double threshold, SamplerSpec.Resampling scheme, ParticleStreams streams) {
        if (runs.length == 1) {
            ParticleWeights.Resampling r = runs[0].resampleIfBelow(threshold, scheme, streams.resampling(0));
            lastResampling[0] = r;
            return new Resampling(r.essBefore(), r.ancestors(), r.unique());
        }
        double essBefore = ess();
        int[] global = null;
        int unique = 0;
        for (int r = 0; r < runs.length; r++) {
            ParticleWeights.Resampling res = runs[r].resampleIfBelow(threshold, scheme, streams.resampling(r));
            lastResampling[r] = res;
            unique += res.unique();
            if (!res.resampled()) continue;
            if (global == null) {
                global = new int[runs.length * k];
                for (int p = 0; p < global.length; p++) global[p] = p;
            }
            for (int p = 0; p < k; p++) global[r * k + p] = r * k + res.ancestors()[p];
        }
        return new Resampling(essBefore, global, unique);
    }

    /** Adds {@code incr} (R·K values) to every run's weights; returns the mean over runs of the step's evidence factor. */
    double reweight(double[] incr, int step) {
        double s = 0;
        for (int r = 0; r < runs.length; r++) {
            lastFactor[r] = runs[r].reweight(Arrays.copyOfRange(incr, r * k, (r + 1) * k), step);
            s += lastFactor[r];
        }
        return s / runs.length;
    }

    /** Records every run's own statistics of the step just weighted (as a run of that population alone reports them). */
    void recordRunSteps(int step, int trainStep, double seconds) {
        for (int r = 0; r < runs.length; r++) {
            ParticleWeights.Resampling res = lastResampling[r];
            runSteps.get(r).add(new StepStats(step, trainStep, res.essBefore(), res.resampled(), res.unique(), runs[r].ess(),
                    runs[r].maxWeight(), lastFactor[r] + pending[r], seconds));
            pending[r] = 0;
        }
    }

    /** Run r's step statistics recorded so far. */
    List<StepStats> runStats(int r) {
        return List.copyOf(runSteps.get(r));
    }

    /** Run r's own normalised log-weights. */
    double[] runNormalisedLog(int r) {
        return runs[r].normalisedLog();
    }

    /** Run r's own log Ẑ. */
    double runLogEvidence(int r) {
        return runs[r].logEvidence();
    }

    /** The pooled normalised log-weights: run r's own, minus log R. */
    double[] normalisedLog() {
        if (runs.length == 1) return runs[0].normalisedLog();
        double[] out = new double[runs.length * k];
        for (int r = 0; r < runs.length; r++) {
            double[] w = runs[r].normalisedLog();
            for (int p = 0; p < k; p++) out[r * k + p] = w[p] - Math.log(runs.length);
        }
        return out;
    }

    double ess() {
        return runs.length == 1 ? runs[0].ess() : Ess.fromLog(normalisedLog());
    }

    double maxWeight() {
        return runs.length == 1 ? runs[0].maxWeight() : Ess.max(LogSumExp.normalise(normalisedLog()));
    }

    /** log of the mean over runs of Ẑ_r. */
    double logEvidence() {
        if (runs.length == 1) return runs[0].logEvidence();
        double[] z = new double[runs.length];
        for (int r = 0; r < runs.length; r++) z[r] = runs[r].logEvidence();
        return LogSumExp.of(z) - Math.log(runs.length);
    }

    /** Each run's log Ẑ; empty for a single run. */
    List<Double> runLogEvidence() {
        List<Double> out = new ArrayList<>();
        if (runs.length > 1) for (ParticleWeights w : runs) out.add(w.logEvidence());
        return out;
    }
}
