package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;

/**
 * Monte Carlo guided diffusion for linear-Gaussian observations: SMC over the reverse chain whose twists live in the
 * coordinates of the SVD of the observation matrix ({@link LinearObservations}), after MCGDiff (Cardoso et al., ICLR
 * 2024). The network is called once per step, forward only, in the latent's own basis.
 *
 * <p>In the coordinates x̄ = Vᵀ x the likelihood is Π_i N(ȳ_i; x̄_i, w_i) (w_i = 1/s_i²). Step i carries the potential
 * g_i(x_i) = Π_i N(x̄_i; √ᾱ_i ȳ_i, ᾱ_i w_i + 1 − ᾱ_i): the density of the observation's forward-noised copy, i.e. the
 * likelihood of y given x_i had x_0 a flat prior. It needs no network, is weak at high noise and equals the likelihood at
 * ᾱ_0 = 1. Because the reverse kernel N(μ_i(x_i), β̃_i I) is isotropic, its product with g_{i−1} is Gaussian coordinate
 * by coordinate: the proposal draws x̄_{i−1} from that product on the r observed coordinates and from the kernel on the
 * other d − r (the fully adapted proposal), and the weight is the product's normaliser over the potential it replaces,
 * Π_i N(√ᾱ_{i−1} ȳ_i; μ̄_i, β̃_i + v_{i−1,i}) / g_i(x_i). The weight depends on x_i only, so the particles are reweighted
 * and resampled before proposing. The last step is the model mean x_0 = x̂0(x_1) (β̃_1 = 0), weighted by the likelihood
 * over g_1. x_T is drawn from N(0, I)·g_T, with the constant weight of its normaliser.
 *
 * <p>The potentials cancel in the telescoping product, so the weighted particles target p_θ(x_0) p(y | x_0) exactly as
 * K grows (the same target as TDS), and the product of the weights' means (times the likelihood's constant C) is an
 * unbiased estimate of the evidence. MCGDiff's own potentials differ (each coordinate is tied, by the forward bridge, to
 * the step whose noise matches its observation noise and left free after it), which targets the posterior of the model's
 * chain at that step rather than p_θ(x_0) p(y | x_0); see docs/samplers.md.
 */
final class McgDiffSampler extends SamplerBase {

    /** Where each step's potential is centred. */
    enum Potential {
        /** √ᾱ ȳ + √(1−ᾱ) ε̄: the observation noised with the particle's own predicted noise (the default). */
        NOISE_MATCHED,
        /** √ᾱ ȳ: the observation's forward-noised mean, as MCGDiff's potentials are; kept for comparison. */
        FLAT
    }

    private final SamplerSpec.McgDiff spec;
    private final LinearObservations obs;
    private final Potential potential;

    McgDiffSampler(Target target, SamplerSpec.McgDiff spec, RunOptions options, StepListener listener, NDManager manager) {
        this(target, spec, Potential.NOISE_MATCHED, options, listener, manager);
    }

    McgDiffSampler(Target target, SamplerSpec.McgDiff spec, Potential potential, RunOptions options, StepListener listener,
            NDManager manager) {
        super(target, spec.particles() * spec.runs(), spec.steps(), spec.spacing(), options, listener, manager);
        this.spec = spec;
        this.potential = potential;
        this.obs = LinearObservations.of(target);
    }

    RunResult run() {
        long start = System.nanoTime();
        int steps = schedule.steps();
        int r = obs.rank();
        // x_T from N(0, I)·g_T: the reverse "kernel" of step T + 1 is the model's own start N(0, I); no ε̂ yet
        double[] x = initialNoise();
        double[] centre = centres(steps, null);
        double[] initial = new double[k];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < r; q++) initial[p] += logNormal(centre[p * r + q], 0, 1 + spread(steps, q));
        }
        double[] xBar = condition(x, project(x), new double[k * r], 1.0, centre, steps);
        Populations weights = new Populations(initial, spec.runs(), steps);
        double pending = weights.logMeanWeight();

        for (int i = steps; i >= 1; i--) {
            long stepStart = System.nanoTime();
            checkCancelled(i);
            double ab = schedule.alphaBar(i);
            double essBefore = weights.ess();
            Evaluation ev = evaluator.evaluate(x, i, schedule.trainStep(i), ab, StepEvaluator.Mode.PRIOR_ONLY, 0);
            double[] x0 = x0hat(x, ev.eps(), ab, null, 0);
            double[] mu = i > 1 ? reverseMean(i, x, x0) : x0;
            double var = i > 1 ? schedule.posteriorVariance(i) : 0;
            // μ and x̂0 are linear in x and ε̂, so their projections follow from x̄ (carried) and ε̄ (one projection)
            double[] epsBar = project(ev.eps());
            double[] muBar = new double[k * r];
            double c0 = i > 1 ? schedule.meanCoefX0(i) : 1, c1 = i > 1 ? schedule.meanCoefXt(i) : 0;
            double sa = Math.sqrt(ab), sn = Math.sqrt(1 - ab);
            for (int j = 0; j < muBar.length; j++) muBar[j] = c0 * (xBar[j] - sn * epsBar[j]) / sa + c1 * xBar[j];
            double[] next = centres(i - 1, potential == Potential.NOISE_MATCHED && i > 1 ? epsBar : null);
            double[] incr = new double[k];
            for (int p = 0; p < k; p++) {
                double s = 0;
                for (int q = 0; q < r; q++) {
                    int pq = p * r + q;
                    s += logNormal(next[pq], muBar[pq], var + spread(i - 1, q)) - logNormal(xBar[pq], centre[pq], spread(i, q));
                }
                incr[p] = s;
            }
            double increment = weights.reweight(incr, i) + pending;
            pending = 0;
            double essAfter = weights.ess(), maxW = weights.maxWeight();
            Populations.Resampling res = i > 1 ? weights.resampleIfBelow(spec.ess(), spec.resample(), streams.resampling())
                    : new Populations.Resampling(essAfter, null, k);
            if (res.resampled()) {
                mu = gather(mu, res.ancestors(), d);
                muBar = gather(muBar, res.ancestors(), r);
                next = gather(next, res.ancestors(), r);
            }
            if (i > 1) {
                double[] z = new double[k * d];
                streams.fillNormal(z, d);
                double sd = Math.sqrt(var);
                for (int j = 0; j < z.length; j++) z[j] = mu[j] + sd * z[j];
                xBar = condition(z, project(z), muBar, var, next, i - 1);
                x = z;
            } else {
                x = mu;
            }
            centre = next;
            watchRange(i, x);
            record(new StepStats(i, schedule.trainStep(i), essBefore, res.resampled(), res.unique(), essAfter, maxW, increment,
                    (System.nanoTime() - stepStart) * 1e-9));
        }
        RunResult out = result(spec.name(), x, weights.normalisedLog(), weights.logEvidence() + obs.constant(), start);
        java.util.List<Double> runs = weights.runLogEvidence().stream().map(z -> z + obs.constant()).toList();
        return new RunResult(out.sampler(), out.seed(), out.steps(), out.shape(), out.samples(), out.logWeights(),
                out.logEvidence(), out.stats(), out.seconds(), out.networkCalls(), out.networkSeconds(), out.levels(), runs);
    }

    /**
     * The potentials' centres at sampling index {@code step} per particle [K·r]: √ᾱ ȳ_q, plus √(1−ᾱ) ε̄_q when the
     * projected noise prediction {@code epsBar} is given (the particle keeps its own predicted noise).
     */
    private double[] centres(int step, double[] epsBar) {
        int r = obs.rank();
        double ab = alphaBar(step), noise = Math.sqrt(1 - ab);
        double[] out = new double[k * r];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < r; q++) {
                out[p * r + q] = Math.sqrt(ab) * obs.values()[q] + (epsBar == null ? 0 : noise * epsBar[p * r + q]);
            }
        }
        return out;
    }

    /**
     * Turns draws {@code x} = μ + √var·z of the reverse kernel (whose projections are {@code xBar}, of μ {@code muBar})
     * into draws of its product with g_step: on each observed coordinate the conditional N((μ̄ v + a var)/(var + v),
     * var v/(var + v)) from the same standard normal z̄ = (x̄ − μ̄)/√var; the other coordinates are left as drawn.
     * Returns the new projections x̄.
     */
    private double[] condition(double[] x, double[] xBar, double[] muBar, double var, double[] centre, int step) {
        int r = obs.rank();
        double[][] v = obs.basis();
        double[] out = new double[k * r];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < r; q++) {
                double a = centre[p * r + q], s2 = spread(step, q), m = muBar[p * r + q];
                double post = var * s2 / (var + s2);
                double z = (xBar[p * r + q] - m) / Math.sqrt(var);
                double target = (m * s2 + a * var) / (var + s2) + Math.sqrt(post) * z;
                double delta = target - xBar[p * r + q];
                out[p * r + q] = target;
                double[] vq = v[q];
                int off = p * d;
                for (int j = 0; j < d; j++) x[off + j] += delta * vq[j];
            }
        }
        return out;
    }

    /** x̄ = Vᵀ x per particle: [K·r]. */
    private double[] project(double[] x) {
        int r = obs.rank();
        double[][] v = obs.basis();
        double[] out = new double[k * r];
        for (int p = 0; p < k; p++) {
            int off = p * d;
            for (int q = 0; q < r; q++) {
                double s = 0;
                double[] vq = v[q];
                for (int j = 0; j < d; j++) s += vq[j] * x[off + j];
                out[p * r + q] = s;
            }
        }
        return out;
    }

    /** The potential's variance ᾱ w_q + 1 − ᾱ at sampling index {@code step}. */
    private double spread(int step, int q) {
        double ab = alphaBar(step);
        return ab * obs.variance()[q] + (1 - ab);
    }

    private double alphaBar(int step) {
        return step == 0 ? 1.0 : schedule.alphaBar(step);
    }

    private static double logNormal(double x, double mean, double var) {
        double r = x - mean;
        return -0.5 * (r * r / var + StrictMath.log(2 * Math.PI * var));
    }
}
