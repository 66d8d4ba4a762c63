package dfl.runtime.likelihood;

import dfl.plan.SamplerSpec.TwistVariance;

/**
 * The variance inflation extra_t of the twist p̃_t(y | x_t) = N(y; G(x̂0(x_t)), σ² + extra_t); other families widen
 * their twist by the same extra_t as {@link ObservationDensity#twist} says.
 */
public final class TwistVariances {

    private TwistVariances() {}

    /** extra_t for ᾱ_t = {@code alphaBar}; s² = (1−ᾱ)/ᾱ is the variance of x̂0's error under a Gaussian prior. */
    public static double extra(TwistVariance tv, double alphaBar) {
        double s2 = (1 - alphaBar) / alphaBar;
        return switch (tv.kind()) {
            case REFERENCE -> s2 * tv.value() / (s2 + tv.value());
            case NONE -> 0.0;
            case TWEEDIE, SECOND_ORDER -> s2; // second order falls back to s² where it has no rows to work on
            case MOMENT -> s2; // the variance of x0 about x̂0 that the cubature spreads its points by
            case FIXED -> tv.value();
        };
    }
}
