package dfl.plan;

/**
 * A sampler with every setting filled in. {@code particles} is the number of samples returned
 * (particles for SMC, independent chains or trajectories otherwise); {@code steps} the number of
 * reverse-diffusion steps (respaced from the schedule's training steps).
 */
public sealed interface SamplerSpec {

    /** The name used in {@code sample x with NAME(...)} and in summary.json. */
    String name();

    int particles();

    int steps();

    /** The same sampler with particles and/or steps replaced (values &lt;= 0 keep the current one). */
    SamplerSpec withSize(int particles, int steps);

    /** Ancestral DDPM on the (summed) score: no correction. */
    record Reverse(int particles, int steps) implements SamplerSpec {
        public String name() { return "reverse"; }

        public Reverse withSize(int k, int t) {
            return new Reverse(k > 0 ? k : particles, t > 0 ? t : steps);
        }
    }

    /**
     * The unadjusted guided reverse process of a composition: ancestral DDPM steps on the composed score Σ γ_i s_i(x_t)
     * at every noise level — for {@code cond^w * uncond^(1−w)} classifier-free guidance, ε̂ = w ε̂_cond + (1 − w)
     * ε̂_uncond. A baseline: not exact for the composed density, because the noised marginals of a product are not the
     * product of the noised marginals.
     */
    record CfgReverse(int particles, int steps) implements SamplerSpec {
        public String name() { return "cfg_reverse"; }

        public CfgReverse withSize(int k, int t) {
            return new CfgReverse(k > 0 ? k : particles, t > 0 ? t : steps);
        }
    }

    /** Diffusion posterior sampling: ancestral step minus scale ∇‖y − A(x̂0)‖ per sample. */
    record Dps(int particles, int steps, double scale) implements SamplerSpec {
        public String name() { return "dps"; }

        public Dps withSize(int k, int t) {
            return new Dps(k > 0 ? k : particles, t > 0 ? t : steps, scale);
        }
    }

    /**
     * Twisted diffusion sampling (SMC). {@code ess} is the resampling threshold as a fraction of K
     * (0 = never resample: TDS-IS); {@code replacement} selects the inpainting replacement variant; {@code spacing}
     * places the sampling steps among the training steps; {@code runs} independent populations of {@code particles}
     * each share every network call (R·K particles in one batch), each with its own weights, resampling and evidence.
     */
    record Tds(int particles, int steps, Resampling resample, double ess, TwistVariance twistVar, boolean replacement,
            Spacing spacing, int runs) implements SamplerSpec {
        /** With uniform spacing and one run (plans built by hand and tests; the language's default is tail spacing). */
        public Tds(int particles, int steps, Resampling resample, double ess, TwistVariance twistVar, boolean replacement) {
            this(particles, steps, resample, ess, twistVar, replacement, Spacing.UNIFORM, 1);
        }

        /** One run. */
        public Tds(int particles, int steps, Resampling resample, double ess, TwistVariance twistVar, boolean replacement,
                Spacing spacing) {
            this(particles, steps, resample, ess, twistVar, replacement, spacing, 1);
        }

        public String name() { return replacement ? "tds-replacement" : "tds"; }

        public Tds withSize(int k, int t) {
            return new Tds(k > 0 ? k : particles, t > 0 ? t : steps, resample, ess, twistVar, replacement, spacing, runs);
        }
    }

    /**
     * Monte Carlo guided diffusion for linear-Gaussian observations (after MCGDiff, Cardoso et al. 2024): SMC over the
     * reverse chain in the coordinates of the SVD of the stacked, whitened observation matrix, each step's proposal the
     * exact Gaussian product of the reverse kernel with a linearised Tweedie twist, weighted by the product's normaliser.
     * Forward network calls only: one per step, and one per step of a pilot of {@link #pilotParticles()} particles that
     * sets the twists' slopes. Needs every observation to be Normal and affine in the latent, and no factors.
     * {@code ess}, {@code resample}, {@code spacing} and {@code runs} as for {@link Tds}.
     */
    record McgDiff(int particles, int steps, Resampling resample, double ess, Spacing spacing, int runs) implements SamplerSpec {
        public String name() { return "mcgdiff"; }

        /** The pilot's particles, K/8; 0 (no pilot, slopes 1/√ᾱ) where that would be fewer than 32 (K &lt; 256). */
        public int pilotParticles() {
            return particles / 8 >= 32 ? particles / 8 : 0;
        }

        public McgDiff withSize(int k, int t) {
            return new McgDiff(k > 0 ? k : particles, t > 0 ? t : steps, resample, ess, spacing, runs);
        }
    }

    /**
     * Where T sampling steps fall among the training steps: {@code UNIFORM} evenly (improved-DDPM respacing);
     * {@code QUADRATIC} at training step (i/(T−1))²·(N−1) (DDIM's quadratic respacing); {@code TAIL} (the language's
     * default for TDS) the T/5 steps nearest the data one training step apart, where sharp observations are resolved,
     * and the rest evenly spaced, so the high-noise part keeps nearly the even stride that learned networks need.
     */
    enum Spacing { UNIFORM, QUADRATIC, TAIL }

    /**
     * Annealed MCMC over the noise levels: at each of {@code levels} levels, {@code stepsPerLevel}
     * kernel steps on the composed target π_t, with MH correction {@code mh}. With {@code smc}, the
     * chains are particles reweighted and resampled between levels (gives log Z).
     */
    record Annealed(int particles, int steps, Kernel kernel, int stepsPerLevel, StepSize stepSize, Mh mh,
            boolean smc, double targetAcceptance) implements SamplerSpec {
        public String name() { return "annealed"; }

        public Annealed withSize(int k, int t) {
            return new Annealed(k > 0 ? k : particles, t > 0 ? t : steps, kernel, stepsPerLevel, stepSize, mh, smc,
                    targetAcceptance);
        }
    }

    /** Resampling schemes for SMC. */
    enum Resampling { SYSTEMATIC, STRATIFIED, MULTINOMIAL, RESIDUAL }

    /**
     * The variance of the twist p̃_t(y | x_t) = N(y; A x̂0(x_t), σ_y² + extra_t). {@code REFERENCE}:
     * extra = s²τ²/(s²+τ²) with s² = (1−ᾱ_t)/ᾱ_t (the TDS code's default, τ² = {@code value});
     * {@code NONE}: extra = 0 (DPS-like, over-confident); {@code TWEEDIE}: extra = s²; {@code FIXED}:
     * extra = {@code value}; {@code SECOND_ORDER}: the twist's covariance is σ² I + J_G Cov[x0 | x_t] J_Gᵀ with the
     * second-order Tweedie covariance Cov[x0 | x_t] = (1−ᾱ_t)/√ᾱ_t · ∂x̂0/∂x_t (one vector-Jacobian product per observed
     * row), and the proposal is the Gaussian conditional of the step under the linearised twist; {@code MOMENT}: the
     * moment-matched twist N(y; E[G(x0)], σ_y² + Var[G(x0)]) with x0 ~ N(x̂0(x_t), s² I), the moments taken by a cubature
     * that is exact for G quadratic in x0 (the compiler's default for nonlinear Normal observations on small latents).
     */
    record TwistVariance(Kind kind, double value) {
        public enum Kind { REFERENCE, NONE, TWEEDIE, FIXED, SECOND_ORDER, MOMENT }

        /** The TDS reference code's default: τ² = 0.12. */
        public static final TwistVariance REFERENCE = new TwistVariance(Kind.REFERENCE, 0.12);

        /**
         * DFL's default for {@code tds}: extra = (1−ᾱ_t)/ᾱ_t. Measured on posterior2d (K = 1024, T = 200) it gave
         * posterior-mean MSE 1.2e-3 and log Ẑ bias −0.08, against 2.2e-3 and −0.69 for REFERENCE, and it keeps
         * MNIST inpainting (σ = 0.05) stable where REFERENCE's twist gradient overflowed at high noise.
         */
        public static final TwistVariance TWEEDIE = new TwistVariance(Kind.TWEEDIE, 0.12);
    }

    /** MCMC kernels. */
    sealed interface Kernel {
        record Ula() implements Kernel {}

        /** Underdamped Langevin: momentum refreshed as v ← γ v + √(1−γ²) ξ with γ = damping. */
        record Uhmc(int leapfrog, double mass, double damping) implements Kernel {}

        record Mala() implements Kernel {}

        record Hmc(int leapfrog, double mass, double damping) implements Kernel {}
    }

    /** Step size η_t = a·β_t^b ({@code b = 0} for a fixed step a); {@code adapt} tunes a towards the target acceptance. */
    record StepSize(double a, double b, boolean adapt) {}

    /** Metropolis–Hastings corrections. */
    sealed interface Mh {
        record None() implements Mh {}

        record Energy() implements Mh {}

        /** Score line integral with {@code points} quadrature points, rule {@code trapezoid} or {@code simpson}. */
        record LineIntegral(int points, String rule) implements Mh {}
    }
}
