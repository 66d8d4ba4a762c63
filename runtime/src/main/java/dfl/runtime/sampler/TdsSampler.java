package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.smc.ParticleWeights;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.likelihood.TwistVariances;
import dfl.runtime.rng.ParticleStreams;
import java.util.ArrayList;
import java.util.List;

/**
 * Twisted diffusion sampling (Wu et al. 2023) as sequential Monte Carlo over the reverse chain.
 *
 * <p>Twist p̃_i(y | x_i) = Π N(y; G(x̂0(x_i)), σ² + extra_i) · Π f(x̂0(x_i))^γ (other observation families inflated by
 * extra_i as {@code ObservationDensity.twist} says), or with {@code twist_var = second_order} the covariance σ² I + J_G Cov[x0 | x_i] J_Gᵀ ({@link LinearisedTwist}),
 * or with {@code twist_var = moment} N(y; E[G(x0)], σ² + Var[G(x0)]) over x0 ~ N(x̂0(x_i), extra_i I) by cubature
 * ({@code LikelihoodTerm.momentLogDensity}). Proposal: the DDPM step
 * N(μ_i, β̃_i) tilted by the twist, μ_i + β̃_i ∇ log p̃_i (x̂0 shifted by (1−ᾱ_{i−1})/√ᾱ_{i−1}·∇; the 9× larger shift
 * (1−ᾱ_i)/√ᾱ_i·∇ of some published code overshoots sharp likelihoods and stays reachable as {@link Tilt#SCORE_STEP}
 * for negative controls), or for second-order twists the step's Gaussian conditional under the linearised twist
 * ({@link ConditionalProposal}). Incremental weight p(x_{i−1}|x_i) p̃_{i−1}(y|x_{i−1}) / (p̃_i(y|x_i) q̃(x_{i−1}|x_i,
 * y)). Initial weight p̃_T(y|x_T) (x_T is drawn from the model's own N(0, I)). Last step: x_0 = the model's mean
 * x̂0(x_1), weight p(y|x_0)/p̃_1(y|x_1) with the exact likelihood and factors. Resampling at the start of a step when
 * ESS &lt; ess·K ({@link ParticleWeights}). The steps are placed by the spec's spacing. With {@code runs = R} the R·K
 * particles of R independent populations share every network call ({@link Populations}).
 */
final class TdsSampler extends SamplerBase {

    /** How far the proposal moves along the twist's gradient. */
    enum Tilt {
        /** β̃_i·∇ log p̃_i: the Gaussian tilt of the step (the default). */
        POSTERIOR_VARIANCE,
        /** β_i/√α_i·∇ log p̃_i: the overshooting step of some published code, kept for negative controls. */
        SCORE_STEP
    }

    private final SamplerSpec.Tds spec;
    private final Tilt tilt;
    /** The seeds of the observations sampled together, one population each ({@link ObservationBatch}); null for one. */
    private final long[] observationSeeds;

    TdsSampler(Target target, SamplerSpec.Tds spec, RunOptions options, StepListener listener, NDManager manager) {
        this(target, spec, Tilt.POSTERIOR_VARIANCE, options, listener, manager);
    }

    TdsSampler(Target target, SamplerSpec.Tds spec, Tilt tilt, RunOptions options, StepListener listener, NDManager manager) {
        super(target, spec.particles() * spec.runs(), spec.steps(), spec.spacing(), options, listener, manager);
        this.spec = spec;
        this.tilt = tilt;
        this.observationSeeds = null;
        if (spec.replacement()) throw new IllegalArgumentException("the replacement variant runs in ReplacementSampler");
    }

    /**
     * B = {@code seeds.length} observations in one batch: population b (K = spec's particles) is observation b's run with
     * seed {@code seeds[b]}, drawing from that seed's streams; the target's likelihoods hold each population's data
     * ({@link LikelihoodTerm#stacked}). {@link #runEach} gives each population's result.
     */
    TdsSampler(Target target, SamplerSpec.Tds spec, long[] seeds, RunOptions options, StepListener listener, NDManager manager) {
        super(target, spec.particles() * seeds.length, spec.steps(), spec.spacing(), options, listener, manager,
                new ParticleStreams(seeds, spec.particles()));
        if (spec.runs() != 1 || spec.replacement()) throw new IllegalArgumentException("a batch of observations runs one population each");
        this.spec = spec;
        this.tilt = Tilt.POSTERIOR_VARIANCE;
        this.observationSeeds = seeds.clone();
    }

    RunResult run() {
        long start = System.nanoTime();
        Final f = sample();
        RunResult out = result(spec.name(), f.x(), f.weights().normalisedLog(), f.weights().logEvidence(), start);
        return new RunResult(out.sampler(), out.seed(), out.steps(), out.shape(), out.samples(), out.logWeights(),
                out.logEvidence(), out.stats(), out.seconds(), out.networkCalls(), out.networkSeconds(), out.levels(),
                f.weights().runLogEvidence());
    }

    /** Each observation's result, in the order of the seeds: what a run of that observation alone reports. */
    List<RunResult> runEach() {
        long start = System.nanoTime();
        Final f = sample();
        int kb = spec.particles();
        List<RunResult> out = new ArrayList<>();
        double seconds = (System.nanoTime() - start) * 1e-9;
        for (int b = 0; b < observationSeeds.length; b++) {
            double[] xb = java.util.Arrays.copyOfRange(f.x(), b * kb * d, (b + 1) * kb * d);
            out.add(new RunResult(spec.name(), observationSeeds[b], schedule.steps(), target.shape(), toSamples(xb, kb),
                    f.weights().runNormalisedLog(b), f.weights().runLogEvidence(b), f.weights().runStats(b), seconds,
                    evaluator.networkCalls(), evaluator.networkSeconds()));
        }
        return out;
    }

    /** The final particles and their weights. */
    private record Final(double[] x, Populations weights) {}

    private Final sample() {
        int steps = schedule.steps();
        double[] x = initialNoise();
        Evaluation ev = evaluate(x, steps);
        int populations = observationSeeds == null ? spec.runs() : observationSeeds.length;
        Populations weights = new Populations(ev.objective(), populations, steps);
        double pendingIncrement = weights.logMeanWeight(); // the initial weighting belongs to step T

        for (int i = steps; i >= 1; i--) {
            long stepStart = System.nanoTime();
            checkCancelled(i);
            double ab = schedule.alphaBar(i);
            Populations.Resampling r = weights.resampleIfBelow(spec.ess(), spec.resample(), streams);
            if (r.resampled()) {
                x = gather(x, r.ancestors(), d);
                ev = ev.gather(r.ancestors(), d);
            }

            double[] untwisted = x0hat(x, ev.eps(), ab, null, 0);
            double[] incr = new double[k];
            double[] next;
            if (i > 1) {
                double[] muP = reverseMean(i, x, untwisted);
                double var = schedule.posteriorVariance(i);
                double[] logRatio;
                if (ev.twist() != null) {
                    ConditionalProposal.Draw draw = ConditionalProposal.draw(x, muP, var, ev.twist(), streams, k);
                    next = draw.next();
                    logRatio = draw.logRatio();
                } else {
                    double abShift = tilt == Tilt.POSTERIOR_VARIANCE ? schedule.alphaBar(i - 1) : ab;
                    double[] muQ = reverseMean(i, x, x0hat(x, ev.eps(), ab, ev.grad(), (1 - abShift) / Math.sqrt(abShift)));
                    next = perturb(muQ, var);
                    logRatio = new double[k];
                    for (int p = 0; p < k; p++) {
                        double sp = 0, sq = 0;
                        for (int j = p * d; j < (p + 1) * d; j++) {
                            double a = next[j] - muP[j], b = next[j] - muQ[j];
                            sp += a * a;
                            sq += b * b;
                        }
                        logRatio[p] = (sq - sp) / (2 * var);
                    }
                }
                Evaluation nextEv = evaluate(next, i - 1);
                for (int p = 0; p < k; p++) incr[p] = logRatio[p] + nextEv.objective()[p] - ev.objective()[p];
                ev = nextEv;
            } else {
                next = untwisted;
                Evaluation exact = evaluator.evaluate(next, 0, 0, 1.0, StepEvaluator.Mode.EXACT, 0);
                for (int p = 0; p < k; p++) incr[p] = exact.objective()[p] - ev.objective()[p];
            }
            double increment = weights.reweight(incr, i) + pendingIncrement;
            pendingIncrement = 0;
            x = next;
            watchRange(i, x);
            double seconds = (System.nanoTime() - stepStart) * 1e-9;
            record(new StepStats(i, schedule.trainStep(i), r.essBefore(), r.resampled(), r.unique(), weights.ess(),
                    weights.maxWeight(), increment, seconds));
            if (observationSeeds != null) weights.recordRunSteps(i, schedule.trainStep(i), seconds);
        }
        return new Final(x, weights);
    }

    private Evaluation evaluate(double[] x, int i) {
        double ab = schedule.alphaBar(i);
        // second order needs observed rows; with factors alone it is the Tweedie twist (TwistVariances says so)
        // (the compiler allows second order only when every observation is Normal: LikelihoodTerm.variance() says so)
        if (spec.twistVar().kind() == SamplerSpec.TwistVariance.Kind.SECOND_ORDER && !target.likelihoods().isEmpty()) {
            return evaluator.evaluateSecondOrder(x, i, schedule.trainStep(i), ab);
        }
        StepEvaluator.Mode mode = spec.twistVar().kind() == SamplerSpec.TwistVariance.Kind.MOMENT ? StepEvaluator.Mode.MOMENT_TWIST
                : StepEvaluator.Mode.TWIST;
        return evaluator.evaluate(x, i, schedule.trainStep(i), ab, mode, TwistVariances.extra(spec.twistVar(), ab));
    }
}
