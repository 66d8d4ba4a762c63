package dfl.runtime.run;

/** Called after every sampling step, e.g. for a progress bar. Runs on the sampling thread: keep it quick. */
@FunctionalInterface
public interface StepListener {

    /** Step {@code done} of {@code total} finished with {@code stats}. */
    void onStep(int done, int total, StepStats stats);

    /**
     * Annealed MCMC only: the level just finished accepted this fraction of its Metropolis–Hastings proposals
     * (1 for unadjusted kernels). Called just before {@link #onStep} for the same level.
     */
    default void onAcceptance(double acceptance) {}

    /** A listener that ignores everything. */
    StepListener NONE = (done, total, stats) -> {};
}
