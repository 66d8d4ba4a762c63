package dfl.runtime.mcmc;

import dfl.diag.Code;
import dfl.plan.SamplerSpec;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.rng.ParticleStreams;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;
import dfl.runtime.smc.ParticleWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import dfl.runtime.run.LevelStats;

/**
 * Annealed MCMC over the noise levels of a composed target (Du et al. 2023, "R3"): K chains start from N(0, I)
 * at the noisiest level T; at each level i = T..1 they take {@code stepsPerLevel} kernel steps on π_i, with step
 * size η_i = a·β_i^b (times an adaptation factor), and move on to level i − 1. The samples are the chains after
 * level 1.
 *
 * <p>Adaptation (when the plan asks for it and the kernel has a correction): after each step the factor is
 * multiplied by 1.1 if that step's acceptance rate over the K chains is above target + 0.05 and by 0.9 if below
 * target − 0.05; it carries over to the next level. It only depends on seeded randomness, so runs repeat.
 *
 * <p>SMC variant ({@code smc = true}): the chains are particles of an annealed importance sampler. The initial
 * weight is π_T(x)/N(x; 0, I); moving from level i+1 to i multiplies the weight by π_i(x)/π_{i+1}(x) at the
 * current positions (before the level's MCMC moves, which leave π_i invariant and serve as rejuvenation);
 * particles are resampled (systematic) when the ESS falls below K/2. The product of the mean incremental
 * weights estimates Z_1/1 = ∫ π_1 with π's normalisation taken from the energies. With score-only priors the
 * increments come from line integrals of the score from the anchor 0 to x at both levels (log π_l(x) − log
 * π_l(0), exact up to a constant per level that cancels in the normalised weights), so resampling is exact but
 * log Z is not estimated (NaN); nor is it with an unadjusted kernel (ULA, U-HMC, mh = none), whose moves do not
 * leave π_i invariant, so the weights still help resampling but their product is no estimate of Z. Differentiating along t instead would need the divergence of the score. The
 * anchored integrals use Simpson's rule with max(n, 9) points (rounded up to odd), n the plan's line-integral points.
 */
public final class AnnealedSampler {

    private static final double ADAPT_BAND = 0.05;
    private static final double RESAMPLE_ESS = 0.5;

    private final CountingTarget target;
    private final SamplerSpec.Annealed spec;
    private final RunOptions options;
    private final StepListener listener;
    private final McmcKernel kernel;
    private final int k;
    private final int d;
    private final boolean energyWeights;
    private final Quadrature anchorRule;

    /** A sampler for {@code target} with the plan's settings; {@code spec.steps()} must equal the target's levels. */
    public AnnealedSampler(LogTarget target, SamplerSpec.Annealed spec, RunOptions options, StepListener listener) {
        this(target, spec, McmcKernel.of(spec.kernel(), MhRatio.of(spec.mh())), options, listener);
    }

    /** As above with an explicit kernel (tests, benchmarks). */
    public AnnealedSampler(LogTarget target, SamplerSpec.Annealed spec, McmcKernel kernel, RunOptions options,
            StepListener listener) {
        if (spec.particles() < 1) throw new IllegalArgumentException("particles must be positive, got " + spec.particles());
        this.target = target instanceof CountingTarget c ? c : new CountingTarget(target);
        this.spec = spec;
        this.options = options;
        this.listener = listener;
        this.kernel = kernel;
        this.k = spec.particles();
        this.d = target.dimension();
        if (kernel.mh().mode() == MhRatio.Mode.ENERGY && !target.priorHasEnergy()) {
            throw new DflRuntimeException(Code.E0213, "energy Metropolis–Hastings needs the log-density of every diffusion "
                    + "prior, but this composition has a score-only prior; use mh = line_integral(points = 5)");
        }
        this.energyWeights = spec.smc() && target.priorHasEnergy();
        // the anchored integrals span the whole way from 0 to x, so they get at least 9 Simpson points
        int anchorPoints = spec.mh() instanceof SamplerSpec.Mh.LineIntegral li ? Math.max(li.points(), 9) : 9;
        this.anchorRule = Quadrature.of("simpson", anchorPoints | 1);
    }

    /** Runs all levels. */
    public AnnealedResult run() {
        long start = System.nanoTime();
        ParticleStreams streams = new ParticleStreams(options.seed(), k);
        int levels = target.levels();
        LogTarget.Need need = energyWeights || kernel.mh().mode() == MhRatio.Mode.ENERGY
                ? LogTarget.Need.SCORE_AND_ENERGY : LogTarget.Need.SCORE;
        double[] x0 = new double[k * d];
        streams.fillNormal(x0, d);
        ChainState s = new ChainState(k, d, x0, evaluate(x0, levels, need));
        ParticleWeights weights = null;
        if (spec.smc()) {
            double[] logW = new double[k];
            double[] logPi = logTarget(s.x, s.eval, levels);
            for (int p = 0; p < k; p++) {
                double sq = 0;
                for (int i = p * d; i < (p + 1) * d; i++) sq += s.x[i] * s.x[i];
                logW[p] = logPi[p] + 0.5 * sq + 0.5 * d * Math.log(2 * Math.PI);
            }
            weights = new ParticleWeights(logW, "annealing level " + levels);
        }
        double pending = spec.smc() ? weights.logMeanWeight() : 0;
        double scale = 1.0;
        List<LevelStats> levelStats = new ArrayList<>();
        List<StepStats> stepStats = new ArrayList<>();
        for (int i = levels; i >= 1; i--) {
            long levelStart = System.nanoTime();
            long callsBefore = target.calls();
            checkCancelled(i);
            if (i < levels) {
                LogTarget.Eval next = evaluate(s.x, i, need);
                if (spec.smc()) {
                    double[] now = logTarget(s.x, next, i);
                    double[] before = logTarget(s.x, s.eval, i + 1);
                    double[] incr = new double[k];
                    for (int p = 0; p < k; p++) incr[p] = now[p] - before[p];
                    pending = weights.reweight(incr, "annealing level " + i);
                }
                s.eval = next;
            }
            double essBefore = k;
            boolean resampled = false;
            int unique = k;
            if (spec.smc()) {
                ParticleWeights.Resampling r = weights.resampleIfBelow(RESAMPLE_ESS, SamplerSpec.Resampling.SYSTEMATIC,
                        streams.resampling());
                essBefore = r.essBefore();
                unique = r.unique();
                if (r.resampled()) {
                    s.x = Evals.gather(s.x, r.ancestors(), d);
                    s.v = Evals.gather(s.v, r.ancestors(), d);
                    s.eval = Evals.gather(s.eval, r.ancestors(), d);
                    resampled = true;
                }
            }
            long accepted = 0;
            double etaSum = 0;
            double base = spec.stepSize().a() * Math.pow(target.beta(i), spec.stepSize().b());
            for (int step = 0; step < spec.stepsPerLevel(); step++) {
                double eta = base * scale;
                etaSum += eta;
                int acc = kernel.step(target, s, i, eta, streams, need);
                accepted += acc;
                if (spec.stepSize().adapt() && kernel.mh().corrects()) {
                    double rate = (double) acc / k;
                    if (rate > spec.targetAcceptance() + ADAPT_BAND) scale *= 1.1;
                    else if (rate < spec.targetAcceptance() - ADAPT_BAND) scale *= 0.9;
                }
            }
            checkFinite(s.x, i);
            double seconds = (System.nanoTime() - levelStart) * 1e-9;
            StepStats st = new StepStats(i, target.trainStep(i), essBefore, resampled, unique, spec.smc() ? weights.ess() : k,
                    spec.smc() ? weights.maxWeight() : 1.0 / k, spec.smc() ? pending : 0.0, seconds);
            pending = 0;
            stepStats.add(st);
            LevelStats level = new LevelStats(i, target.trainStep(i), (double) accepted / ((long) k * spec.stepsPerLevel()),
                    etaSum / spec.stepsPerLevel(), target.calls() - callsBefore);
            levelStats.add(level);
            listener.onAcceptance(level.acceptance());
            listener.onStep(stepStats.size(), levels, st);
        }
        double logEvidence = Double.NaN;
        double[] logWeights;
        if (spec.smc()) {
            // AIS needs every level's moves to leave that level's density invariant: no log Z for unadjusted kernels
            logEvidence = energyWeights && kernel.mh().corrects() ? weights.logEvidence() : Double.NaN;
            logWeights = weights.normalisedLog();
        } else {
            logWeights = new double[k];
            Arrays.fill(logWeights, -Math.log(k));
        }
        float[][] samples = dfl.runtime.run.FiniteOutputs.toFloat32(s.x, k, d, "the last annealing level");
        RunResult run = new RunResult(spec.smc() ? "annealed-smc" : spec.name(), options.seed(), levels,
                target.shape(), samples, logWeights, logEvidence, List.copyOf(stepStats),
                (System.nanoTime() - start) * 1e-9, target.calls(), target.seconds());
        return new AnnealedResult(run, levelStats);
    }

    private LogTarget.Eval evaluate(double[] x, int level, LogTarget.Need need) {
        return target.evaluate(x, level, need);
    }

    /**
     * log π_level(x) per chain for the SMC weights: from energies, or (score-only) the line integral of the prior
     * score from the anchor 0 to x plus the exact part. {@code e} is the evaluation at x for that level.
     */
    private double[] logTarget(double[] x, LogTarget.Eval e, int level) {
        double[] out = new double[k];
        if (energyWeights) {
            for (int p = 0; p < k; p++) out[p] = e.logDensity(p);
            return out;
        }
        int n = anchorRule.points();
        double[] z = new double[x.length];
        for (int j = 0; j < n; j++) {
            double u = anchorRule.nodes()[j];
            double[] score;
            if (j == n - 1) {
                score = e.priorScore();
            } else {
                for (int i = 0; i < z.length; i++) z[i] = u * x[i];
                score = evaluate(z, level, LogTarget.Need.PRIOR_SCORE).priorScore();
            }
            double w = anchorRule.weights()[j];
            for (int p = 0; p < k; p++) {
                double dot = 0;
                for (int i = p * d; i < (p + 1) * d; i++) dot += score[i] * x[i];
                out[p] += w * dot;
            }
        }
        for (int p = 0; p < k; p++) out[p] += e.exactLog()[p];
        return out;
    }

    private void checkCancelled(int level) {
        if (options.cancel().get() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("run cancelled at annealing level " + level);
        }
    }

    private void checkFinite(double[] x, int level) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at annealing level " + level
                        + ": a chain diverged (non-finite position); use a smaller step_size, a Metropolis–Hastings "
                        + "correction, or more levels");
            }
        }
    }
}
