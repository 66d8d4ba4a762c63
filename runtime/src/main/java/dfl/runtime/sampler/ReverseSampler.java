package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import dfl.runtime.likelihood.TwistVariances;

/**
 * Ancestral DDPM. With likelihoods or factors in the target it follows the summed score
 * ∇ log p_t(x) + ∇ log p̃_t(y | x) (the twist of {@link TdsSampler} with the reference variance), i.e. the
 * TDS proposal without weights: the biased "guidance" baseline. Without them it is exact ancestral sampling
 * of the prior. All samples have equal weight; no evidence estimate.
 */
final class ReverseSampler extends SamplerBase {

    private final String name;
    private final SamplerSpec.TwistVariance twistVar;

    ReverseSampler(Target target, String name, int particles, int steps, SamplerSpec.TwistVariance twistVar,
            RunOptions options, StepListener listener, NDManager manager) {
        super(target, particles, steps, options, listener, manager);
        this.name = name;
        this.twistVar = twistVar;
    }

    RunResult run() {
        return runUnweighted(name, this::step);
    }

    private double[] step(int i, double[] x) {
        double ab = schedule.alphaBar(i);
        Evaluation ev = evaluator.evaluate(x, i, schedule.trainStep(i), ab, StepEvaluator.Mode.TWIST,
                TwistVariances.extra(twistVar, ab));
        double[] mu = reverseMean(i, x, x0hat(x, ev.eps(), ab, ev.grad(), (1 - ab) / Math.sqrt(ab)));
        return i > 1 ? perturb(mu, schedule.posteriorVariance(i)) : mu;
    }
}
