package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.GaussianLikelihood;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The target of a one-prior sampler, resolved from a plan: a single diffusion prior, factors with exponents
 * (prior * clf^γ), and the Gaussian likelihoods. Owns the models it opened; close it after the run.
 */
public final class Target implements AutoCloseable {

    /** A factor term f(x0)^γ. */
    public record PoweredFactor(String name, LogDensityFactor factor, double exponent) {}

    private final DiffusionModel prior;
    private final String priorName;
    private final List<PoweredFactor> factors;
    private final List<GaussianLikelihood> likelihoods;
    private final Shape shape;
    private final ExprEvaluator expressions;

    private Target(DiffusionModel prior, String priorName, List<PoweredFactor> factors, List<GaussianLikelihood> likelihoods,
            Shape shape, ExprEvaluator expressions) {
        this.prior = prior;
        this.priorName = priorName;
        this.factors = factors;
        this.likelihoods = likelihoods;
        this.shape = shape;
        this.expressions = expressions;
    }

    /** Resolves the plan's prior tree; models other than gmm(...) come from {@code provider}. */
    public static Target of(SamplerPlan plan, RuntimeProvider provider, NDManager manager) {
        Shape shape = plan.latent().shape();
        List<Density.Diffusion> diffusions = new ArrayList<>();
        List<Density.Factor> factorTerms = new ArrayList<>();
        List<Double> exponents = new ArrayList<>();
        collect(plan.prior(), 1.0, diffusions, factorTerms, exponents);
        if (diffusions.size() != 1) {
            throw new DflRuntimeException(Code.E0211, "sampler " + plan.sampler().name() + " needs exactly one diffusion prior, "
                    + "the target has " + diffusions.size() + "; a product of diffusion priors needs annealed MCMC");
        }
        Density.Diffusion d = diffusions.get(0);
        DiffusionModel model = open(d, shape, provider, manager);
        List<PoweredFactor> factors = new ArrayList<>();
        List<GaussianLikelihood> likelihoods = new ArrayList<>();
        ExprEvaluator ev = new ExprEvaluator(provider, model.dataType());
        try {
            for (int i = 0; i < factorTerms.size(); i++) {
                Density.Factor f = factorTerms.get(i);
                factors.add(new PoweredFactor(f.name(), provider.factor(f.factor(), shape, manager), exponents.get(i)));
            }
            for (SamplerPlan.Likelihood l : plan.likelihoods()) likelihoods.add(new GaussianLikelihood(l, ev));
        } catch (RuntimeException e) {
            model.close();
            for (PoweredFactor f : factors) f.factor().close();
            throw e;
        }
        return new Target(model, d.name(), List.copyOf(factors), List.copyOf(likelihoods), shape, ev);
    }

    private static DiffusionModel open(Density.Diffusion d, Shape shape, RuntimeProvider provider, NDManager manager) {
        if (d.model() instanceof ModelRef.Gmm g) {
            return new GmmDiffusion(GaussianMixture.of(g), NoiseSchedule.of(d.schedule()), shape);
        }
        return provider.diffusion(d.model(), d.schedule(), shape, manager);
    }

    private static void collect(Density d, double power, List<Density.Diffusion> diffusions, List<Density.Factor> factors,
            List<Double> exponents) {
        if (d instanceof Density.Diffusion diff) {
            if (power != 1.0) {
                throw new DflRuntimeException(Code.E0211, "the diffusion prior '" + diff.name() + "' is raised to the power "
                        + power + ": a tempered diffusion prior has no exact reverse process, use annealed MCMC");
            }
            diffusions.add(diff);
        } else if (d instanceof Density.Factor f) {
            factors.add(f);
            exponents.add(power);
        } else if (d instanceof Density.Power p) {
            collect(p.base(), power * p.exponent(), diffusions, factors, exponents);
        } else if (d instanceof Density.Product p) {
            for (Density t : p.terms()) collect(t, power, diffusions, factors, exponents);
        } else if (d instanceof Density.Mixture) {
            throw new DflRuntimeException(Code.E0210, "a mixture of densities cannot be sampled by reverse diffusion, DPS or "
                    + "TDS: use annealed MCMC");
        } else {
            throw new IllegalArgumentException("unknown density " + d);
        }
    }

    /** A target built from parts (tests, embedding). */
    public static Target of(DiffusionModel prior, List<PoweredFactor> factors, List<GaussianLikelihood> likelihoods) {
        return new Target(prior, "prior", List.copyOf(factors), List.copyOf(likelihoods), prior.sampleShape(),
                new ExprEvaluator(RuntimeProvider.NONE, prior.dataType()));
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

    public List<GaussianLikelihood> likelihoods() {
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
    }
}
