package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TargetSpec;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.Located;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The target of a one-prior sampler, resolved from a plan: a single diffusion prior, factors with exponents
 * (prior * clf^γ), and the likelihoods of the observations. Owns the models it opened; close it after the run.
 */
public final class Target implements AutoCloseable {

    /** A factor term f(x0)^γ. */
    public record PoweredFactor(String name, LogDensityFactor factor, double exponent) {}

    private final DiffusionModel prior;
    private final String priorName;
    private final List<PoweredFactor> factors;
    private final List<LikelihoodTerm> likelihoods;
    private final Shape shape;
    private final ExprEvaluator expressions;

    private Target(DiffusionModel prior, String priorName, List<PoweredFactor> factors, List<LikelihoodTerm> likelihoods,
            Shape shape, ExprEvaluator expressions) {
        this.prior = prior;
        this.priorName = priorName;
        this.factors = factors;
        this.likelihoods = likelihoods;
        this.shape = shape;
        this.expressions = expressions;
    }

    /**
     * Opens the plan's target, which the compiler decided is one diffusion prior with factors; models other than
     * gmm(...) come from {@code provider}.
     */
    public static Target of(SamplerPlan plan, RuntimeProvider provider, NDManager manager) {
        if (!(plan.target() instanceof TargetSpec.OnePrior one)) {
            throw new IllegalArgumentException("sampler " + plan.sampler().name() + " follows one diffusion prior, but the plan's "
                    + "target is a composition (the compiler lowers it to annealed MCMC)");
        }
        Shape shape = plan.latent().shape();
        DiffusionModel model = GmmDiffusion.open(one.prior(), shape, provider, manager);
        List<PoweredFactor> factors = new ArrayList<>();
        List<LikelihoodTerm> likelihoods = new ArrayList<>();
        ExprEvaluator ev = new ExprEvaluator(provider, model.dataType());
        try {
            for (TargetSpec.PoweredFactor f : one.factors()) {
                factors.add(new PoweredFactor(f.term().name(), Located.factor(f.term(), shape, provider, manager), f.exponent()));
            }
            for (SamplerPlan.Likelihood l : plan.likelihoods()) likelihoods.add(new LikelihoodTerm(l, ev));
        } catch (RuntimeException e) {
            model.close();
            for (PoweredFactor f : factors) f.factor().close();
            throw e;
        }
        return new Target(model, one.prior().name(), List.copyOf(factors), List.copyOf(likelihoods), shape, ev);
    }

    /** A target built from parts (tests, embedding). */
    public static Target of(DiffusionModel prior, List<PoweredFactor> factors, List<LikelihoodTerm> likelihoods) {
        return new Target(prior, "prior", List.copyOf(factors), List.copyOf(likelihoods), prior.sampleShape(),
                new ExprEvaluator(RuntimeProvider.NONE, prior.dataType()));
    }

    /**
     * This target with {@code other} likelihoods, sharing its models and evaluator: a view for one batch of several
     * observations ({@link ObservationBatch}). Close this target, not the view.
     */
    Target withLikelihoods(List<LikelihoodTerm> other) {
        return new Target(prior, priorName, factors, List.copyOf(other), shape, expressions);
    }

    /**
     * Evaluates the likelihoods' constant sub-expressions (masks, data) outside a step, in the latent's data type. A
     * target built from parts has no provider, so there only constants and the runtime's own operators evaluate.
     */
    ExprEvaluator expressions() {
        return expressions;
    }

    public DiffusionModel prior() {
        return prior;
    }

    /** The prior's name in the program, for messages. */
    public String priorName() {
        return priorName;
    }

    public List<PoweredFactor> factors() {
        return factors;
    }

    public List<LikelihoodTerm> likelihoods() {
        return likelihoods;
    }

    public Shape shape() {
        return shape;
    }

    /** Whether anything beyond the prior steers the sampler (likelihoods or factors). */
    public boolean guided() {
        return !likelihoods.isEmpty() || !factors.isEmpty();
    }

    @Override
    public void close() {
        for (PoweredFactor f : factors) {
            try {
                f.factor().close();
            } catch (Exception e) {
                // closing a native model should not mask the run's result
            }
        }
        try {
            prior.close();
        } catch (Exception e) {
            // as above
        }
        expressions.close();
    }
}
