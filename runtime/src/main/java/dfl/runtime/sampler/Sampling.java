package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.TargetSpec;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.FiniteOutputs;
import dfl.runtime.run.MemoryEstimate;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import java.util.List;
import java.util.Optional;

/**
 * Entry point for the CLI and embedding: executes a {@link SamplerPlan} whose prior is one diffusion prior
 * (times factor powers) with the plan's sampler.
 *
 * <pre>{@code
 * RunResult r = Sampling.run(plan, RunOptions.seed(1), provider, StepListener.NONE);
 * OutputWriter.writeAll(Path.of("out/m"), plan, r);
 * }</pre>
 *
 * A run whose {@link MemoryEstimate} exceeds the JVM's heap or the machine's memory is refused before it starts, and
 * running out of memory during it (Java heap or a native allocation) is E0309 with that estimate, never an
 * {@link OutOfMemoryError}. Every result is checked by {@link FiniteOutputs} before it is returned: samples finite in float32, log-weights and
 * evidence finite (E0303). Failures the user can act on are {@link DflRuntimeException}s carrying a diagnostic code; cancellation
 * ({@link RunOptions#cancel()} or interrupt) throws {@link java.util.concurrent.CancellationException}.
 */
public final class Sampling {

    private Sampling() {}

    /** Runs {@code plan} with {@code provider} for everything but gmm(...) priors, reporting each step to {@code listener}. */
    public static RunResult run(SamplerPlan plan, RunOptions options, RuntimeProvider provider, StepListener listener) {
        dfl.runtime.LibTorch.requireLoadable(); // a platform without libtorch is E0320, not an internal error
        MemoryEstimate memory = MemoryEstimate.of(plan).require();
        try {
            return FiniteOutputs.check(unchecked(plan, options, provider, listener), weighted(plan.sampler()));
        } catch (OutOfMemoryError e) {
            // the run's arrays are unreachable once the stack has unwound to here, so the message can be built
            throw memory.outOfMemory("Java heap space");
        } catch (DflRuntimeException | java.util.concurrent.CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            if (MemoryEstimate.isNativeAllocationFailure(e)) throw memory.outOfMemory("a native allocation failed");
            throw e;
        }
    }

    private static RunResult unchecked(SamplerPlan plan, RunOptions options, RuntimeProvider provider, StepListener listener) {
        if (plan.sampler() instanceof SamplerSpec.Annealed a) {
            // annealed MCMC composes any number of priors, so it resolves its own target instead of Target.of
            try (NDManager manager = NDManager.newBaseManager();
                    dfl.runtime.mcmc.ComposedTarget target = dfl.runtime.mcmc.ComposedTarget.of(plan, provider, manager)) {
                RunResult r = new dfl.runtime.mcmc.AnnealedSampler(target, a, options, listener).run().merged();
                return r.withWarnings(BlowUpCheck.warnings(r, mixtureRange(plan), List.of(), true, DataType.FLOAT64, manager));
            }
        }
        if (plan.sampler() instanceof SamplerSpec.CfgReverse c) {
            // the guided reverse process of a composition follows the composed score, level by level
            try (NDManager manager = NDManager.newBaseManager();
                    dfl.runtime.mcmc.ComposedTarget target = dfl.runtime.mcmc.ComposedTarget.of(plan, provider, manager)) {
                return dfl.runtime.mcmc.ComposedReverse.run(target, c.name(), c.particles(), options, listener).merged();
            }
        }
        try (NDManager manager = NDManager.newBaseManager();
                Target target = Target.of(plan, provider, manager)) {
            return checked(target, run(target, plan.sampler(), options, listener, manager), manager);
        }
    }

    /** {@code r} with W0006 where its samples or evidence are beyond what the target's prior allows. */
    private static RunResult checked(Target target, RunResult r, NDManager manager) {
        return r.withWarnings(BlowUpCheck.warnings(r, target.prior().dataRange(), target.likelihoods(), !target.factors().isEmpty(),
                target.prior().dataType(), manager));
    }

    /** The range of a composition whose priors are all exact mixtures (their ranges' union); empty otherwise. */
    private static Optional<double[]> mixtureRange(SamplerPlan plan) {
        if (!(plan.target() instanceof TargetSpec.Composed c)) return Optional.empty();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Density.Diffusion p : c.priors()) {
            if (!(p.model() instanceof ModelRef.Gmm g)) return Optional.empty();
            double[] r = GaussianMixture.of(g).range();
            lo = Math.min(lo, r[0]);
            hi = Math.max(hi, r[1]);
        }
        return c.priors().isEmpty() ? Optional.empty() : Optional.of(new double[] {lo, hi});
    }

    /** Runs {@code sampler} on an already resolved target (tests and embedding); the caller keeps ownership of it. */
    public static RunResult run(Target target, SamplerSpec sampler, RunOptions options, StepListener listener) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return FiniteOutputs.check(checked(target, run(target, sampler, options, listener, manager), manager),
                    weighted(sampler));
        }
    }

    /** Whether {@code sampler} weights its particles and estimates the evidence (SMC). */
    private static boolean weighted(SamplerSpec sampler) {
        return sampler instanceof SamplerSpec.Tds || sampler instanceof SamplerSpec.McgDiff;
    }

    private static RunResult run(Target target, SamplerSpec sampler, RunOptions options, StepListener listener,
            NDManager manager) {
        if (sampler instanceof SamplerSpec.McgDiff g) {
            return new McgDiffSampler(target, g, options, listener, manager).run();
        }
        if (sampler instanceof SamplerSpec.Tds t && t.replacement()) {
            return new ReplacementSampler(target, t, options, listener, manager).run();
        }
        if (sampler instanceof SamplerSpec.Tds t) {
            return new TdsSampler(target, t, options, listener, manager).run();
        }
        if (sampler instanceof SamplerSpec.Dps p) {
            return new DpsSampler(target, p, options, listener, manager).run();
        }
        if (sampler instanceof SamplerSpec.Reverse r) {
            return new ReverseSampler(target, r.name(), r.particles(), r.steps(), SamplerSpec.TwistVariance.REFERENCE, options,
                    listener, manager).run();
        }
        throw new DflRuntimeException(Code.E0212, "sampler '" + sampler.name() + "' is not implemented by this runtime "
                + "(reverse, dps, tds and mcgdiff are)");
    }
}
