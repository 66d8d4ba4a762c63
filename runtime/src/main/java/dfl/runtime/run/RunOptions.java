package dfl.runtime.run;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Settings of one run that are not in the plan.
 *
 * @param seed   master seed: every random number of the run derives from it
 * @param cancel set it to stop the run between steps (the run throws {@link java.util.concurrent.CancellationException});
 *               thread interruption is honoured the same way
 */
public record RunOptions(long seed, AtomicBoolean cancel) {

    /** Options with this seed and a fresh cancellation flag. */
    public static RunOptions seed(long seed) {
        return new RunOptions(seed, new AtomicBoolean());
    }
}
