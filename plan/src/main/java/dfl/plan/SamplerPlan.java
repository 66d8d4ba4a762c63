package dfl.plan;

import dfl.source.Span;
import java.util.List;
import java.util.Optional;

/**
 * What the compiler hands to the runtime: the target, kept as separate terms, and how to sample it.
 * The target density is {@code prior(x) * Π likelihoods(y_i | x)}; {@code prior} is the composition
 * tree ({@code compose ...;} or the {@code x ~ prior;} declaration).
 *
 * @param modelName  the file's stem (used for the default output folder {@code out/<modelName>/})
 * @param latent     the sampled variable and its shape
 * @param prior      the prior part of the target, as a composition tree over diffusion priors and factors
 * @param target     what the runtime builds for {@code prior}: {@link TargetSpec#of} of it, decided once
 * @param likelihoods observation factors {@code observe y ~ Normal(G(x), σ)} (or another family), in source order
 * @param sampler    the sampler and its settings, every default filled in
 * @param reason     why this sampler: "named in the sample statement" or the compiler's reasoning
 * @param outDir     the {@code into "dir"} folder, if given
 */
public record SamplerPlan(
        String modelName,
        Latent latent,
        Density prior,
        TargetSpec target,
        List<Likelihood> likelihoods,
        SamplerSpec sampler,
        String reason,
        Optional<String> outDir) {

    public SamplerPlan {
        likelihoods = List.copyOf(likelihoods);
    }

    /** The latent variable: its name, shape (e.g. [2] or [1, 28, 28]) and where it was declared. */
    public record Latent(String name, Shape shape, Span span) {}

    /**
     * One likelihood factor {@code observe data ~ family(mean(x), ...)}: the elements of {@code data} are independent
     * given {@code mean}, a differentiable function of the latent (the family's mean, rate or logits; see
     * {@link LikelihoodFamily#parameter()}), with the family's constants.
     */
    public record Likelihood(TensorExpr data, TensorExpr mean, LikelihoodFamily family, Span span) {

        /** {@code observe data ~ Normal(mean(x), sigma)}: a Gaussian with per-element standard deviation {@code sigma}. */
        public Likelihood(TensorExpr data, TensorExpr mean, double sigma, Span span) {
            this(data, mean, new LikelihoodFamily.Normal(sigma), span);
        }
    }

    /** This plan with the sampler replaced (CLI overrides such as {@code --particles}). */
    public SamplerPlan withSampler(SamplerSpec newSampler, String newReason) {
        return new SamplerPlan(modelName, latent, prior, target, likelihoods, newSampler, newReason, outDir);
    }
}
