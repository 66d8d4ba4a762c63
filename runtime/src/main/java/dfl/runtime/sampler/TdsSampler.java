package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.smc.Ess;
import dfl.runtime.smc.LogSumExp;
import dfl.runtime.smc.Resampler;

/**
 * Twisted diffusion sampling (Wu et al. 2023) as sequential Monte Carlo over the reverse chain.
 *
 * <p>Twist p̃_i(y | x_i) = Π N(y; G(x̂0(x_i)), σ² + extra_i) · Π f(x̂0(x_i))^γ. Proposal: the DDPM step with
 * x̂0 shifted by (1−ᾱ_i)/√ᾱ_i ∇ log p̃_i (the twisted score), same variance β̃_i. Incremental weight
 * p(x_{i−1}|x_i) p̃_{i−1}(y|x_{i−1}) / (p̃_i(y|x_i) q̃(x_{i−1}|x_i, y)). Initial weight p̃_T(y|x_T) (x_T is drawn
 * from the model's own N(0, I)). Last step: x_0 = the model's mean x̂0(x_1), weight p(y|x_0)/p̃_1(y|x_1) with the
 * exact likelihood and factors. Resampling at the start of a step when ESS &lt; ess·K. The evidence estimate is
 * the product over steps of the weighted mean of the increments.
 */
final class TdsSampler extends SamplerBase {

    private final SamplerSpec.Tds spec;

    TdsSampler(Target target, SamplerSpec.Tds spec, RunOptions options, StepListener listener, NDManager manager) {
        super(target, spec.particles(), spec.steps(), options, listener, manager);
        this.spec = spec;
        if (spec.replacement()) throw new IllegalArgumentException("the replacement variant runs in ReplacementSampler");
    }

    RunResult run() {
        long start = System.nanoTime();
        int steps = schedule.steps();
        double[] x = initialNoise();
        Evaluation ev = evaluate(x, steps);
        double[] logW = ev.objective().clone();
        double logZ = 0;
        double pendingIncrement = LogSumExp.of(logW) - StrictMath.log(k); // the initial weighting belongs to step T
        checkWeights(logW, steps, "the initial twisting weights");

        for (int i = steps; i >= 1; i--) {
            long stepStart = System.nanoTime();
            checkCancelled(i);
            double ab = schedule.alphaBar(i);

            double[] wBefore = LogSumExp.normalise(logW);
            double essBefore = Ess.of(wBefore);
            boolean resample = essBefore < spec.ess() * k;
            int unique = k;
            if (resample) {
                logZ += LogSumExp.of(logW) - StrictMath.log(k);
                int[] anc = Resampler.resample(spec.resample(), wBefore, streams.resampling());
                unique = Resampler.unique(anc, k);
                x = gather(x, anc, d);
                ev = new Evaluation(gather(ev.eps(), anc, d), gather(ev.objective(), anc, 1),
                        ev.grad() == null ? null : gather(ev.grad(), anc, d));
                java.util.Arrays.fill(logW, 0.0);
            }
            double lseBefore = LogSumExp.of(logW);

            double[] untwisted = x0hat(x, ev.eps(), ab, null, 0);
            double[] incr = new double[k];
            double[] next;
            if (i > 1) {
                double[] twisted = x0hat(x, ev.eps(), ab, ev.grad(), (1 - ab) / Math.sqrt(ab));
                double[] muP = reverseMean(i, x, untwisted);
                double[] muQ = reverseMean(i, x, twisted);
                double var = schedule.posteriorVariance(i);
                next = perturb(muQ, var);
                Evaluation nextEv = evaluate(next, i - 1);
                for (int p = 0; p < k; p++) {
                    double sp = 0, sq = 0;
                    for (int j = p * d; j < (p + 1) * d; j++) {
                        double a = next[j] - muP[j], b = next[j] - muQ[j];
                        sp += a * a;
                        sq += b * b;
                    }
                    incr[p] = (sq - sp) / (2 * var) + nextEv.objective()[p] - ev.objective()[p];
                }
                ev = nextEv;
            } else {
                next = untwisted;
                Evaluation exact = evaluator.evaluate(next, 0, 0, 1.0, StepEvaluator.Mode.EXACT, 0);
                for (int p = 0; p < k; p++) incr[p] = exact.objective()[p] - ev.objective()[p];
            }
            reweight(logW, incr, i);
            x = next;

            double[] w = LogSumExp.normalise(logW);
            double increment = LogSumExp.of(logW) - lseBefore + pendingIncrement;
            pendingIncrement = 0;
            record(new StepStats(i, schedule.trainStep(i), essBefore, resample, unique, Ess.of(w), Ess.max(w), increment,
                    (System.nanoTime() - stepStart) * 1e-9));
        }
        logZ += LogSumExp.of(logW) - StrictMath.log(k);
        return result(spec.name(), x, LogSumExp.normaliseLog(logW), logZ, start);
    }

    private Evaluation evaluate(double[] x, int i) {
        double ab = schedule.alphaBar(i);
        return evaluator.evaluate(x, i, schedule.trainStep(i), ab, StepEvaluator.Mode.TWIST,
                TwistVariances.extra(spec.twistVar(), ab));
    }
}
