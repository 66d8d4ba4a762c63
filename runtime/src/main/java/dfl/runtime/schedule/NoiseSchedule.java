package dfl.runtime.schedule;

import dfl.plan.Schedule;

/**
 * A DDPM training schedule: ᾱ_t for training steps t = 0 .. trainSteps−1, with ᾱ_t = Π_{s≤t} (1 − β_s).
 * Built from a {@link Schedule} of kind {@code linear} or {@code cosine} (Nichol and Dhariwal, offset 0.008,
 * β clipped at 0.999).
 */
public final class NoiseSchedule {

    private final Schedule spec;
    private final double[] alphaBar;

    private NoiseSchedule(Schedule spec, double[] alphaBar) {
        this.spec = spec;
        this.alphaBar = alphaBar;
    }

    /** The training schedule described by {@code spec}. */
    public static NoiseSchedule of(Schedule spec) {
        int n = spec.trainSteps();
        if (n < 1) throw new IllegalArgumentException("schedule needs at least one training step, got " + n);
        double[] betas = new double[n];
        switch (spec.kind()) {
            case "linear" -> {
                for (int i = 0; i < n; i++) {
                    betas[i] = n == 1 ? spec.betaStart() : spec.betaStart() + (spec.betaEnd() - spec.betaStart()) * i / (n - 1);
                }
            }
            case "cosine" -> {
                for (int i = 0; i < n; i++) {
                    betas[i] = Math.min(1 - cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n), 0.999);
                }
            }
            default -> throw new IllegalArgumentException("unknown schedule kind '" + spec.kind() + "' (linear or cosine)");
        }
        double[] ab = new double[n];
        double prod = 1;
        for (int i = 0; i < n; i++) {
            prod *= 1 - betas[i];
            ab[i] = prod;
        }
        return new NoiseSchedule(spec, ab);
    }

    private static double cosineAlphaBar(double u) {
        double c = StrictMath.cos((u + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
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
