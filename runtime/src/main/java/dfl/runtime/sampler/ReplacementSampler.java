package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.smc.ParticleWeights;
import java.util.SplittableRandom;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;

/**
 * The inpainting "replacement" variant of TDS: SMCDiff (Trippe et al. 2022, Algorithm 1) over the respaced chain,
 * for targets whose observations are {@code Normal(M * x, σ)} with 0/1 masks and which have no other factors.
 *
 * <p>One trajectory of the observed coordinates is drawn by the forward chain y_0 = y, y_i = √(1−β_i) y_{i−1} + √β_i ξ_i
 * and shared by all particles. At step i every particle carries x_i^M = y_i; the model is evaluated once, its reverse
 * mean μ_i(x_i) gives the weight increment N(y_{i−1}; μ_i^M, β̃_i) (the model's own density of the replaced part), the
 * particles are resampled when ESS &lt; ess·K (after the reweighting: the increment depends on x_i only, so resampling
 * before proposing spends the proposals on particles that fit), and then x_{i−1}^U ~ N(μ_i^U, β̃_i), x_{i−1}^M = y_{i−1}.
 * The last step is the deterministic x_0 = μ_1(x_1) (β̃_1 = 0), weighted by the program's own likelihood
 * N(y; μ_1^M, σ²), and x_0^M is set to y.
 *
 * <p>The forward chain, not independent draws from the marginals q(y_i | y_0), because the weights compare y_{i−1}
 * with the model's one-step prediction from y_i: independent marginals would make consecutive y's nearly unrelated
 * and the weights degenerate. With it, the estimate
 * log p̂(y) = log p̂_θ(y_{1:T}, y) − log q(y_{1:T} | y_0) + Σ_{M=0} log N(y_j; 0, σ²) is unbiased for the model's
 * evidence p_θ(y), since E over y_{1:T} ~ q of p_θ(y_{1:T}, y)/q(y_{1:T} | y) is p_θ(y); its variance grows with how
 * far the model's reverse chain is from the time reversal of q. The samples target p_θ(x_0 | y_{1:T}, y), which equals
 * p(x_0 | y) only as σ → 0 with an exact model and T → ∞ (SMCDiff's theorem): with σ &gt; 0 the trajectory starts at
 * y instead of the unknown clean x_0^M.
 */
final class ReplacementSampler extends SamplerBase {

    private final SamplerSpec.Tds spec;
    private final ObservedCoordinates obs;

    ReplacementSampler(Target target, SamplerSpec.Tds spec, RunOptions options, StepListener listener, NDManager manager) {
        super(target, spec.particles(), spec.steps(), spec.spacing(), options, listener, manager);
        if (!spec.replacement()) throw new IllegalArgumentException("not the replacement variant: " + spec);
        this.spec = spec;
        this.obs = ObservedCoordinates.of(target);
    }

    RunResult run() {
        long start = System.nanoTime();
        int steps = schedule.steps();
        int m = obs.size();
        double[][] y = new double[steps + 1][];
        // a stream of its own, split off the resampling stream, so the trajectory is independent of the particles' noise
        double logQ = forwardTrajectory(y, streams.resampling().split());
        double constants = constantsOf(y, logQ);
        double pending = constants; // reported in the first step's increment, so the increments sum to log p̂(y)

        double[] x = initialNoise();
        replace(x, y[steps]);
        ParticleWeights weights = new ParticleWeights(k);
        for (int i = steps; i >= 1; i--) {
            long stepStart = System.nanoTime();
            checkCancelled(i);
            double ab = schedule.alphaBar(i);
            double essBefore = weights.ess();
            Evaluation ev = evaluator.evaluate(x, i, schedule.trainStep(i), ab, StepEvaluator.Mode.PRIOR_ONLY, 0);
            double[] mu = reverseMean(i, x, x0hat(x, ev.eps(), ab, null, 0));
            double[] target = i > 1 ? y[i - 1] : obs.values();
            double[] incr = new double[k];
            for (int p = 0; p < k; p++) {
                double s = 0;
                for (int o = 0; o < m; o++) {
                    double v = i > 1 ? schedule.posteriorVariance(i) : obs.variance()[o];
                    double r = target[o] - mu[p * d + obs.index()[o]];
                    s += -0.5 * (r * r / v + StrictMath.log(2 * Math.PI * v));
                }
                incr[p] = s;
            }
            double increment = weights.reweight(incr, i) + pending;
            pending = 0;
            double essAfter = weights.ess(), maxW = weights.maxWeight();

            // resampling after the reweighting, never after the last step (the output keeps its weights)
            ParticleWeights.Resampling r = i > 1 ? weights.resampleIfBelow(spec.ess(), spec.resample(), streams.resampling())
                    : new ParticleWeights.Resampling(essAfter, null, k);
            if (r.resampled()) mu = gather(mu, r.ancestors(), d);
            x = i > 1 ? perturb(mu, schedule.posteriorVariance(i)) : mu;
            watchRange(i, x);
            replace(x, target);
            record(new StepStats(i, schedule.trainStep(i), essBefore, r.resampled(), r.unique(), essAfter, maxW, increment,
                    (System.nanoTime() - stepStart) * 1e-9));
        }
        return result(spec.name(), x, weights.normalisedLog(), weights.logEvidence() + constants, start);
    }

    /**
     * The evidence terms every particle shares: the model's N(0, I) density of y_T on the observed coordinates, the
     * forward chain's density log q(y_{1:T} | y_0) (divided out) and the data elements no mask covers.
     */
    private double constantsOf(double[][] y, double logQ) {
        double c = -logQ + obs.constantLogLikelihood();
        for (double v : y[schedule.steps()]) c += -0.5 * (v * v + StrictMath.log(2 * Math.PI));
        return c;
    }

    /**
     * Fills y[0] = the observed values and y[i] for i = 1..T by the forward chain, returning log q(y_{1:T} | y_0).
     * Normals from a stream split off the master seed's stream, apart from the particle and resampling streams.
     */
    private double forwardTrajectory(double[][] y, SplittableRandom rng) {
        int m = obs.size();
        y[0] = obs.values().clone();
        double logQ = 0;
        for (int i = 1; i < y.length; i++) {
            double beta = schedule.beta(i), a = Math.sqrt(1 - beta), s = Math.sqrt(beta);
            y[i] = new double[m];
            for (int o = 0; o < m; o++) {
                double z = normal(rng);
                y[i][o] = a * y[i - 1][o] + s * z;
                logQ += -0.5 * (z * z + StrictMath.log(2 * Math.PI * beta));
            }
        }
        return logQ;
    }

    /** Writes the observed coordinates of every particle. */
    private void replace(double[] x, double[] values) {
        int[] idx = obs.index();
        for (int p = 0; p < k; p++) {
            for (int o = 0; o < idx.length; o++) x[p * d + idx[o]] = values[o];
        }
    }

    /** One standard normal by Box–Muller with StrictMath, so the trajectory is reproducible bit for bit. */
    private static double normal(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        return Math.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * r.nextDouble());
    }
}
