package dfl.runtime.schedule;

import dfl.plan.Schedule;

/**
 * A DDPM training schedule at run time: the ᾱ_t of a {@link Schedule} (linear or cosine), computed once, and its
 * respacing into sampling steps.
 */
public final class NoiseSchedule {

    private final Schedule spec;
    private final double[] alphaBar;

    private NoiseSchedule(Schedule spec, double[] alphaBar) {
        this.spec = spec;
        this.alphaBar = alphaBar;
    }

    /** The training schedule described by {@code spec} ({@link Schedule#alphaBars()}). */
    public static NoiseSchedule of(Schedule spec) {
        return new NoiseSchedule(spec, spec.alphaBars());
    }

    /** The plan's schedule description. */
    public Schedule spec() {
        return spec;
    }

    /** Number of training steps. */
    public int trainSteps() {
        return alphaBar.length;
    }

    /** ᾱ at training step {@code t} (0-based). */
    public double alphaBar(int t) {
        return alphaBar[t];
    }

    /** The sampling schedule with {@code steps} of the training steps, evenly spaced (improved-DDPM respacing). */
    public RespacedSchedule respace(int steps) {
        return RespacedSchedule.of(this, steps, dfl.plan.SamplerSpec.Spacing.UNIFORM);
    }

    /** The sampling schedule with {@code steps} of the training steps, placed by {@code spacing}. */
    public RespacedSchedule respace(int steps, dfl.plan.SamplerSpec.Spacing spacing) {
        return RespacedSchedule.of(this, steps, spacing);
    }
}
