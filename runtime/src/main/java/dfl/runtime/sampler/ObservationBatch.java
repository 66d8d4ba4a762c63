package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import dfl.plan.LikelihoodFamily;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.TargetSpec;
import dfl.plan.TensorExpr;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.FiniteOutputs;
import dfl.runtime.run.MemoryEstimate;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One program run for several observations at once: B observations of a binding, each a population of K particles
 * with its own seed and its own data, share every network call (one batch of B·K particles), as {@code tds(runs = R)}
 * shares them between R populations of one observation. Each population draws from its own seed's streams
 * ({@link dfl.runtime.rng.ParticleStreams#ParticleStreams(long[], int)}), resamples by itself and is weighed against its
 * own data ({@link LikelihoodTerm#stacked}), so its result is that of a run of its observation alone up to the arithmetic
 * of the network at another batch size (exact priors such as {@code gmm(...)} give the same numbers).
 *
 * <p>Supported: TDS (not its replacement variant, not {@code runs = R}, not second-order twists) on one diffusion
 * prior with Normal observations, where the binding is only observed data; {@link #unsupported} says why not otherwise.
 */
public final class ObservationBatch {

    private ObservationBatch() {}

    /**
     * Why observations bound to {@code name} cannot share network calls under {@code plan}; empty when they can.
     * {@code declared} is the program's own value of the binding (null if unknown): the plan holds it where the binding
     * is used until data is bound from outside, and then a {@link TensorExpr.Bound} node of that name. A constant that
     * equals it elsewhere counts as a use (a conservative answer).
     */
    public static Optional<String> unsupported(SamplerPlan plan, String name, TensorExpr declared) {
        if (!(plan.sampler() instanceof SamplerSpec.Tds t)) {
            return Optional.of("the sampler is " + plan.sampler().name() + " (only tds samples several observations in one batch)");
        }
        if (t.replacement()) return Optional.of("tds's replacement variant is not batched over observations");
        if (t.runs() != 1) return Optional.of("tds(runs = " + t.runs() + ") already shares its network calls between its runs");
        if (t.twistVar().kind() == SamplerSpec.TwistVariance.Kind.SECOND_ORDER) {
            return Optional.of("second-order twists are not batched over observations");
        }
        if (!(plan.target() instanceof TargetSpec.OnePrior)) return Optional.of("the target is a composition of priors");
        // the bound data is a TensorExpr.Bound node; records print their components, so a mention shows in the text
        List<String> marks = new ArrayList<>(List.of("Bound[name=" + name + ","));
        // a load(...) gets its shape from the program in the plan; any load of the same file counts as the binding
        if (declared instanceof TensorExpr.Load l) marks.add("Load[path=" + l.path() + ",");
        else if (declared != null) marks.add(declared.toString());
        if (mentions(plan.target().toString(), marks)) return Optional.of("'" + name + "' is used by the prior or a factor");
        boolean observed = false;
        for (SamplerPlan.Likelihood l : plan.likelihoods()) {
            if (!(l.family() instanceof LikelihoodFamily.Normal)) {
                return Optional.of("the observation at line " + l.span().startLine() + " is " + l.family().name()
                        + " (only Normal observations are batched)");
            }
            if (mentions(l.mean().toString(), marks)) {
                return Optional.of("'" + name + "' is used in the mean of the observation at line " + l.span().startLine());
            }
            observed |= mentions(l.data().toString(), marks);
        }
        return observed ? Optional.empty() : Optional.of("'" + name + "' is not the data of an observation");
    }

    private static boolean mentions(String text, List<String> marks) {
        return marks.stream().anyMatch(text::contains);
    }

    /**
     * Runs {@code plan} (see {@link #unsupported}) once per observation: {@code providers.get(b)} supplies observation
     * b's data, {@code seeds[b]} its seed; the prior, factors and G come from the first provider. Each result is what
     * {@link Sampling#run} of the plan with that provider and seed returns (checked by {@link FiniteOutputs}, with its
     * run-time warnings), its seconds and network figures those of the whole batch. A failure of any observation throws;
     * run the observations one by one to tell which.
     *
     * @throws IllegalArgumentException when the plan is not supported
     */
    public static List<RunResult> run(SamplerPlan plan, List<RuntimeProvider> providers, long[] seeds, AtomicBoolean cancel,
            StepListener listener) {
        if (providers.size() != seeds.length || seeds.length == 0) {
            throw new IllegalArgumentException(providers.size() + " providers for " + seeds.length + " seeds");
        }
        if (!(plan.sampler() instanceof SamplerSpec.Tds t) || plan.target() instanceof TargetSpec.Composed) {
            throw new IllegalArgumentException("plan not batched over observations: " + plan.sampler().name());
        }
        dfl.runtime.LibTorch.requireLoadable();
        int b = seeds.length;
        MemoryEstimate.of(plan.withSampler(t.withSize(t.particles() * b, 0), plan.reason())).require();
        List<ExprEvaluator> evaluators = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                Target target = Target.of(plan, providers.get(0), manager)) {
            List<List<LikelihoodTerm>> each = new ArrayList<>();
            each.add(target.likelihoods());
            for (int o = 1; o < b; o++) {
                ExprEvaluator ev = new ExprEvaluator(providers.get(o), target.prior().dataType());
                evaluators.add(ev);
                each.add(plan.likelihoods().stream().map(l -> new LikelihoodTerm(l, ev)).toList());
            }
            List<LikelihoodTerm> stacked = new ArrayList<>();
            for (int j = 0; j < plan.likelihoods().size(); j++) {
                int jj = j;
                stacked.add(LikelihoodTerm.stacked(each.stream().map(terms -> terms.get(jj)).toList(), t.particles()));
            }
            List<RunResult> runs = new TdsSampler(target.withLikelihoods(stacked), t, seeds, new RunOptions(seeds[0], cancel),
                    listener, manager).runEach();
            List<RunResult> out = new ArrayList<>();
            for (int o = 0; o < b; o++) {
                RunResult r = runs.get(o).withWarnings(BlowUpCheck.warnings(runs.get(o), target.prior().dataRange(), each.get(o),
                        !target.factors().isEmpty(), target.prior().dataType(), manager));
                out.add(FiniteOutputs.check(r, true));
            }
            return out;
        } finally {
            evaluators.forEach(ExprEvaluator::close);
        }
    }
}
