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
 * 2024). The network is called forward only, once per step in the latent's own basis, and once per step of a pilot of
 * K/8 particles that sets the potentials' slopes ({@link McgDiffSlopes}; none below K = 256).
 *
 * <p>In the coordinates x̄ = Vᵀ x the likelihood is Π_q N(ȳ_q; x̄_q, w_q) (w_q = 1/s_q²). The proposal of step i → i − 1
 * is the reverse kernel N(μ_i(x_i), β̃_i I) times a Gaussian potential g_{i−1}(x̄) = Π_q N(x̄_q; c_q, v_q): TDS's twist
 * N(ȳ_q; x̂0̄_q(x_{i−1}), w_q + Σ_q) with x̂0̄ linearised around the reverse mean, x̂0̄(x_{i−1}) ≈ x̂0̄(x_i) + J_q (x̄_q −
 * μ̄_q), so c_q = μ̄_q + (ȳ_q − x̂0̄_q)/J_q and v_q = (w_q + Σ_q)/J_q², and no gradient is needed. Σ_q is Tweedie's
 * covariance of x_0 given x_{i−1}, (1 − ᾱ_{i−1}) J_q/√ᾱ_{i−1}, less the part the model's deterministic last step never
 * adds ((1 − ᾱ_1)/ᾱ_1): the model's x_0 is the mean x̂0(x_1), so its x_0 given x_1 has no spread, and g_1 is as sharp as
 * the likelihood. With J = 1/√ᾱ (the particle's own noise prediction ε̄ held fixed) c = √ᾱ ȳ + √(1 − ᾱ − β̃) ε̄, where
 * the reverse step would put x_{i−1} (less its fresh noise) if x̂0 were y; the pilot's regressed slopes are smaller
 * where the prior is narrower than the noise. Because the kernel is isotropic, the product is Gaussian coordinate by
 * coordinate: x̄_{i−1} is drawn from it on the r observed coordinates and from the kernel on the other d − r, and the
 * weight is the product's normaliser over the potential the particle was drawn under, Π_q N(c_q; μ̄_q, β̃_i + v_q) /
 * g_i(x_i). It depends on x_i only, so particles are reweighted and resampled before proposing. x_T comes from N(0, I)
 * with no potential (ε̂(x_T) is not known before the first call); the last step is the model mean x_0 = x̂0(x_1)
 * (β̃_1 = 0), whose potential at ᾱ_0 = 1 is the likelihood itself.
 *
 * <p>The potentials telescope whatever their centres and variances, so the weighted particles target p_θ(x_0) p(y | x_0)
 * exactly as K grows (the target of TDS); the pilot's slopes are fixed before the main run, so its product of the
 * weights' means times the likelihood's constant stays an unbiased estimate of the evidence.
 * {@link Potential#FLAT} centres the potentials at √ᾱ ȳ, the forward-noised observation of MCGDiff's noiseless case,
 * for comparison; MCGDiff's noisy case ties each coordinate to the step whose noise matches its observation noise and
 * leaves it free after that, which targets the model chain's posterior at that step instead (see docs/samplers.md).
 */
final class McgDiffSampler extends SamplerBase {

    /** Where each step's potential is centred. */
    enum Potential {
        /** μ̄ + (ȳ − x̂0̄)/J: where the linearised x̂0 meets the observation (the default). */
        NOISE_MATCHED,
        /** √ᾱ ȳ: the observation's forward-noised mean, as MCGDiff's potentials are, with Tweedie's slopes; kept for comparison. */
        FLAT
    }

    /** Where the potentials' slopes come from. */
    enum Slopes {
        /** Regressed in a pilot of {@link SamplerSpec.McgDiff#pilotParticles()} particles ({@link McgDiffSlopes}); the default. */
        PILOT,
        /** 1/√ᾱ at every step: the noise prediction held fixed (the default before the pilot, kept for comparison). */
        TWEEDIE
    }

    private final SamplerSpec.McgDiff spec;
    private final LinearObservations obs;
    private final Potential potential;
    private final Slopes slopes;
    private final NDManager manager;
    /** Per basis vector, the latent indices where it is not zero (one each for a mask): projections skip the rest. */
    private final int[][] support;
    /** Where a pilot records its regressed slopes; null in a main run. */
    McgDiffSlopes recorder;
    /** Told each step's ancestors (null where the step did not resample), for {@code McgDiffLineageBench}. */
    java.util.function.BiConsumer<Integer, int[]> onAncestors = (step, ancestors) -> {};

    McgDiffSampler(Target target, SamplerSpec.McgDiff spec, RunOptions options, StepListener listener, NDManager manager) {
        this(target, spec, Potential.NOISE_MATCHED, Slopes.PILOT, options, listener, manager);
    }

    McgDiffSampler(Target target, SamplerSpec.McgDiff spec, Potential potential, Slopes slopes, RunOptions options,
            StepListener listener, NDManager manager) {
        super(target, spec.particles() * spec.runs(), spec.steps(), spec.spacing(), options, listener, manager);
        this.spec = spec;
        this.potential = potential;
        this.slopes = slopes;
        this.manager = manager;
        this.obs = LinearObservations.of(target);
        this.support = new int[obs.rank()][];
        for (int q = 0; q < support.length; q++) {
            double[] v = obs.basis()[q];
            support[q] = java.util.stream.IntStream.range(0, d).filter(j -> v[j] != 0).toArray();
        }
    }

    RunResult run() {
        long start = System.nanoTime();
        int steps = schedule.steps();
        int r = obs.rank();
        McgDiffSampler pilot = recorder == null && potential == Potential.NOISE_MATCHED && slopes == Slopes.PILOT
                && spec.pilotParticles() > 0 ? pilot() : null;
        McgDiffSlopes slope = pilot != null ? pilot.recorder : McgDiffSlopes.TWEEDIE;
        // the variance of x_0 given x_1 that the model's last step (its mean, β̃_1 = 0) never adds: Tweedie's at step 1
        double lastStep = (1 - schedule.alphaBar(1)) / schedule.alphaBar(1);
        // x_T from the model's own N(0, I) with no potential (g_T = 1, initial weights equal): the first noise-matched
        // potential needs ε̂(x_T), and a potential without it (centred at √ᾱ_T ȳ ≈ 0) would weight x_T by its distance
        // from 0 in r dimensions (on a 64-D, 16-row case the ESS fell to 29 of 2048 at the first step)
        double[] x = initialNoise();
        double[] centre = null, held = null;
        double[] xBar = project(x);
        Populations weights = new Populations(new double[k], spec.runs(), steps);
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
            double[] x0Bar = new double[k * r], muBar = new double[k * r];
            double c0 = i > 1 ? schedule.meanCoefX0(i) : 1, c1 = i > 1 ? schedule.meanCoefXt(i) : 0;
            double sa = Math.sqrt(ab), sn = Math.sqrt(1 - ab);
            for (int j = 0; j < muBar.length; j++) {
                x0Bar[j] = (xBar[j] - sn * epsBar[j]) / sa;
                muBar[j] = c0 * x0Bar[j] + c1 * xBar[j];
            }
            if (recorder != null && i > 1) recorder.record(i, xBar, x0Bar, weights.normalisedLog(), r);
            double abNext = i > 1 ? schedule.alphaBar(i - 1) : 1;
            double[] jac = slope.at(i, abNext, r);
            double[] spread = new double[r];
            for (int q = 0; q < r; q++) {
                double cov = i > 1 ? Math.max(0, (1 - abNext) / Math.sqrt(abNext) * jac[q] - lastStep) : 0;
                spread[q] = (obs.variance()[q] + cov) / (jac[q] * jac[q]);
            }
            double[] next = centres(i, jac, muBar, x0Bar, abNext);
            // log N(c; μ̄, var + v_{i−1}) − log g_i(x̄), with the variances' normalisers shared by all particles
            double[] joint = new double[r];
            double constant = 0;
            for (int q = 0; q < r; q++) {
                joint[q] = var + spread[q];
                constant += -0.5 * StrictMath.log(2 * Math.PI * joint[q]) + (held == null ? 0 : 0.5 * StrictMath.log(2 * Math.PI * held[q]));
            }
            double[] incr = new double[k];
            for (int p = 0; p < k; p++) {
                double s = constant;
                for (int q = 0; q < r; q++) {
                    int pq = p * r + q;
                    double a = next[pq] - muBar[pq];
                    s -= 0.5 * a * a / joint[q];
                    if (held != null) {
                        double b = xBar[pq] - centre[pq];
                        s += 0.5 * b * b / held[q];
                    }
                }
                incr[p] = s;
            }
            double increment = weights.reweight(incr, i) + pending;
            pending = 0;
            double essAfter = weights.ess(), maxW = weights.maxWeight();
            Populations.Resampling res = i > 1 ? weights.resampleIfBelow(spec.ess(), spec.resample(), streams)
                    : new Populations.Resampling(essAfter, null, k);
            onAncestors.accept(i, res.ancestors());
            if (res.resampled()) {
                mu = gather(mu, res.ancestors(), d);
                muBar = gather(muBar, res.ancestors(), r);
                next = gather(next, res.ancestors(), r);
            }
            if (i > 1) {
                x = perturb(mu, var);
                xBar = condition(x, project(x), muBar, var, next, spread);
            } else {
                x = mu;
            }
            centre = next;
            held = spread;
            watchRange(i, x);
            record(new StepStats(i, schedule.trainStep(i), essBefore, res.resampled(), res.unique(), essAfter, maxW, increment,
                    (System.nanoTime() - stepStart) * 1e-9));
        }
        RunResult out = result(spec.name(), x, weights.normalisedLog(), weights.logEvidence() + obs.constant(), start);
        java.util.List<Double> runs = weights.runLogEvidence().stream().map(z -> z + obs.constant()).toList();
        long calls = out.networkCalls() + (pilot == null ? 0 : pilot.evaluator.networkCalls());
        double netSeconds = out.networkSeconds() + (pilot == null ? 0 : pilot.evaluator.networkSeconds());
        return new RunResult(out.sampler(), out.seed(), out.steps(), out.shape(), out.samples(), out.logWeights(),
                out.logEvidence(), out.stats(), out.seconds(), calls, netSeconds, out.levels(), runs);
    }

    /**
     * The pilot: the same chain with {@link SamplerSpec.McgDiff#pilotParticles()} particles, Tweedie's slopes and its own
     * seed, recording each step's regressed slopes. It shares the run's cancellation flag and reports no steps.
     */
    private McgDiffSampler pilot() {
        SamplerSpec.McgDiff small = new SamplerSpec.McgDiff(spec.pilotParticles(), spec.steps(), spec.resample(),
                spec.ess(), spec.spacing(), 1);
        RunOptions seed = new RunOptions(new java.util.SplittableRandom(options.seed()).split().nextLong(), options.cancel());
        McgDiffSampler pilot = new McgDiffSampler(target, small, potential, Slopes.TWEEDIE, seed, StepListener.NONE, manager);
        pilot.recorder = McgDiffSlopes.recording(schedule.steps());
        pilot.run();
        return pilot;
    }

    /**
     * The centres of g_{i−1} per particle [K·r]. Noise-matched: μ̄ + (ȳ − x̂0̄)/J, where x̂0̄(x_{i−1}) linearised around the
     * reverse mean with slope J meets ȳ; with J = 1/√ᾱ_{i−1} that is √ᾱ ȳ + √(1 − ᾱ − β̃) ε̄, the reverse step's point if
     * x̂0 were y. Flat: √ᾱ_{i−1} ȳ. At i = 1 both are ȳ (g_0 is the likelihood).
     */
    private double[] centres(int i, double[] slopes, double[] muBar, double[] x0Bar, double abNext) {
        int r = obs.rank();
        double[] out = new double[k * r];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < r; q++) {
                int pq = p * r + q;
                double y = obs.values()[q];
                out[pq] = i == 1 ? y : potential == Potential.FLAT ? Math.sqrt(abNext) * y : muBar[pq] + (y - x0Bar[pq]) / slopes[q];
            }
        }
        return out;
    }

    /**
     * Turns draws {@code x} = μ + √var·z of the reverse kernel (whose projections are {@code xBar}, of μ {@code muBar})
     * into draws of its product with the potential (variances {@code spread}): on each observed coordinate the conditional N((μ̄ v + a var)/(var + v),
     * var v/(var + v)) from the same standard normal z̄ = (x̄ − μ̄)/√var; the other coordinates are left as drawn.
     * Returns the new projections x̄.
     */
    private double[] condition(double[] x, double[] xBar, double[] muBar, double var, double[] centre, double[] spread) {
        int r = obs.rank();
        double[][] v = obs.basis();
        double[] postSd = new double[r];
        for (int q = 0; q < r; q++) postSd[q] = Math.sqrt(var * spread[q] / (var + spread[q]));
        double sd = Math.sqrt(var);
        double[] out = new double[k * r];
        for (int p = 0; p < k; p++) {
            for (int q = 0; q < r; q++) {
                double a = centre[p * r + q], m = muBar[p * r + q];
                double z = (xBar[p * r + q] - m) / sd;
                double target = (m * spread[q] + a * var) / (var + spread[q]) + postSd[q] * z;
                double delta = target - xBar[p * r + q];
                out[p * r + q] = target;
                double[] vq = v[q];
                int off = p * d;
                for (int j : support[q]) x[off + j] += delta * vq[j];
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
                for (int j : support[q]) s += vq[j] * x[off + j];
                out[p * r + q] = s;
            }
        }
        return out;
    }
}
