package dfl.runtime.sampler;

/** Called after every sampling step, e.g. for a progress bar. Runs on the sampling thread: keep it quick. */
@FunctionalInterface
public interface StepListener {

    /** Step {@code done} of {@code total} finished with {@code stats}. */
    void onStep(int done, int total, StepStats stats);

    /** A listener that ignores everything. */
    StepListener NONE = (done, total, stats) -> {};
}
