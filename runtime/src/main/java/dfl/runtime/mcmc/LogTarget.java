package dfl.runtime.mcmc;

/**
 * A batched, annealed target π_i(x) for i = T (noisiest) .. 1, as the kernels see it: K points at once as a
 * flat particle-major array [K·d]. Implementations: {@link ComposedTarget} (the plan's composition over DJL
 * models) and plain-Java targets in the tests.
 *
 * <p>log π_i = prior part + exact part. The prior part is the composition over diffusion priors: its score is
 * always available, its log-density only when every prior has an energy ({@link #priorHasEnergy()}). The exact
 * part (factors such as a classifier and the twisted likelihoods) always has a known log-density. Line-integral
 * Metropolis–Hastings integrates only the prior part's score and adds the exact part's log-density difference.
 */
public interface LogTarget {

    /** What an evaluation must compute. */
    enum Need {
        /** The prior part's score only (interior points of a line integral). */
        PRIOR_SCORE,
        /** The full score and the exact part's log-density. */
        SCORE,
        /** As {@link #SCORE}, plus the prior part's log-density (needs energies). */
        SCORE_AND_ENERGY
    }

    /**
     * One batched evaluation at K points.
     *
     * @param score      ∇ log π_i, [K·d] (null for {@link Need#PRIOR_SCORE})
     * @param priorScore the prior part's score, [K·d] (the same array as {@code score} when there is no exact part)
     * @param exactLog   the exact part's log-density, [K] (zeros when there is none; null for PRIOR_SCORE)
     * @param priorLog   the prior part's log-density up to a constant, [K] (null unless asked for)
     */
    record Eval(double[] score, double[] priorScore, double[] exactLog, double[] priorLog) {

        /** log π up to a constant from energies: priorLog + exactLog. */
        public double logDensity(int p) {
            return priorLog[p] + exactLog[p];
        }
    }

    /** Number of elements d of one sample. */
    int dimension();

    /** The per-sample shape (d elements); a flat vector unless the target says otherwise. */
    default dfl.plan.Shape shape() {
        return dfl.plan.Shape.of(dimension());
    }

    /** Number of annealing levels T. */
    int levels();

    /** β_i of level i ∈ 1..T (the step-size schedule η_i = a·β_i^b uses it). */
    double beta(int level);

    /** ᾱ_i of level i ∈ 0..T (ᾱ_0 = 1); the reverse-diffusion baseline needs it. */
    double alphaBar(int level);

    /** The training step the models are evaluated at for level i (reported in trace.csv). */
    int trainStep(int level);

    /** Whether the prior part has a log-density (every diffusion prior has an energy). */
    boolean priorHasEnergy();

    /** Whether there is an exact part (factors or likelihoods). */
    boolean hasExactPart();

    /** Evaluates at K = x.length / d points at level {@code level}. */
    Eval evaluate(double[] x, int level, Need need);
}
