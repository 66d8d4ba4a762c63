package dfl.plan;

import dfl.source.Span;
import java.util.List;

/**
 * The composition algebra over densities of the latent, kept as a tree so that every sampler can be
 * derived from it: product adds log-densities, power scales one, mixture is a log-sum-exp.
 */
public sealed interface Density {

    /** Where the term was written, for run-time messages. */
    Span span();

    /** A base diffusion prior: a model of p(x) with scores (and maybe energies) at every noise level. */
    record Diffusion(String name, ModelRef model, Schedule schedule, Span span) implements Density {}

    /**
     * A factor with a known log-density of the clean latent, e.g. a classifier's log p(label | x).
     * Samplers that follow one diffusion prior use it as a twist at Tweedie's x̂0(x_t).
     */
    record Factor(String name, FactorRef factor, Span span) implements Density {}

    /** p1 * p2 * ...: log-densities add. */
    record Product(List<Density> terms, Span span) implements Density {
        public Product {
            terms = List.copyOf(terms);
        }
    }

    /** p^γ: the log-density scaled by γ (γ &lt; 0 is negation). */
    record Power(Density base, double exponent, Span span) implements Density {}

    /** Σ w_i p_i with normalised weights: needs energies (log-densities up to a shared constant). */
    record Mixture(List<Density> components, List<Double> weights, Span span) implements Density {
        public Mixture {
            components = List.copyOf(components);
            weights = List.copyOf(weights);
        }
    }
}
