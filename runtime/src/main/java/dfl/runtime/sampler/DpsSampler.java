package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;

/**
 * Diffusion posterior sampling (Chung et al. 2023): x_{i−1} = ancestral step(x_i) − ζ ∇_{x_i} J(x_i) with
 * J = Σ ‖y − G(x̂0(x_i))‖ (the norm, per sample) − Σ γ log f(x̂0(x_i)) for factor terms. The gradient is per
 * particle. Equal weights, no evidence.
 */
final class DpsSampler extends SamplerBase {

    private final SamplerSpec.Dps spec;

    DpsSampler(Target target, SamplerSpec.Dps spec, RunOptions options, StepListener listener, NDManager manager) {
        super(target, spec.particles(), spec.steps(), options, listener, manager);
        this.spec = spec;
    }

    RunResult run() {
        return runUnweighted(spec.name(), this::step);
    }

    private double[] step(int i, double[] x) {
        double ab = schedule.alphaBar(i);
        Evaluation ev = evaluator.evaluate(x, i, schedule.trainStep(i), ab, StepEvaluator.Mode.RESIDUAL_NORM, 0);
        double[] mu = reverseMean(i, x, x0hat(x, ev.eps(), ab, null, 0));
        double[] next = i > 1 ? perturb(mu, schedule.posteriorVariance(i)) : mu;
        if (ev.grad() != null) {
            for (int j = 0; j < next.length; j++) next[j] -= spec.scale() * ev.grad()[j];
        }
        return next;
    }
}
