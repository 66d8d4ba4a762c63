package dfl.compiler.check;

import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.compiler.builtin.ArgBinder;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.EvalContext;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.Suggest;
import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.SamplerSpec.Kernel;
import dfl.plan.SamplerSpec.Mh;
import dfl.plan.Shape;
import dfl.source.Span;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks a {@code with SAMPLER(...)} call against the sampler catalog and the composed target, or
 * chooses a sampler when none is named, and says why.
 */
final class SamplerLowering {

    /** The samplers and their parameters; the catalog users see in errors and docs. */
    static final Map<String, Signature> SAMPLERS = Map.of(
            "tds", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("steps", "a positive whole number"),
                    Param.optional("resample", "systematic, stratified, multinomial or residual"),
                    Param.optional("ess", "a fraction in [0, 1]; 0 never resamples"),
                    Param.optional("twist_var", "tweedie (default; moment for nonlinear Normal observations on latents of at most 6 elements), moment, second_order, reference, none, or a number"),
                    Param.optional("tau2", "a positive number (τ² of the reference twist)"),
                    Param.optional("variant", "twisted or replacement"),
                    Param.optional("spacing", "tail (default; uniform for the replacement variant), uniform or quadratic"),
                    Param.optional("runs", "a positive whole number of independent populations (default 1)")),
            "mcgdiff", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("steps", "a positive whole number"),
                    Param.optional("resample", "systematic, stratified, multinomial or residual"),
                    Param.optional("ess", "a fraction in [0, 1]; 0 never resamples"),
                    Param.optional("spacing", "tail (default), uniform or quadratic"),
                    Param.optional("runs", "a positive whole number of independent populations (default 1)")),
            "dps", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("steps", "a positive whole number"),
                    Param.optional("scale", "a positive number")),
            "reverse", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("steps", "a positive whole number")),
            "cfg_reverse", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("steps", "a positive whole number")),
            "annealed", Signature.of(Param.optional("particles", "a positive whole number"), Param.optional("levels", "a positive whole number"),
                    Param.optional("steps_per_level", "a positive whole number"),
                    Param.optional("kernel", "ula, uhmc(...), mala or hmc(...)"), Param.optional("step_size", "a number or schedule(a, b)"),
                    Param.optional("mh", "energy, line_integral(points, rule) or none"), Param.optional("smc", "true or false (default: true unless score-only priors over more than 64 elements)"),
                    Param.optional("adapt", "true or false"), Param.optional("target_acceptance", "a fraction in (0, 1)")));

    static final Map<String, Signature> KERNELS = Map.of(
            "ula", Signature.of(),
            "mala", Signature.of(),
            "uhmc", Signature.of(Param.optional("leapfrog", "a positive whole number"), Param.optional("mass", "a positive number"),
                    Param.optional("damping", "a number in [0, 1)")),
            "hmc", Signature.of(Param.optional("leapfrog", "a positive whole number"), Param.optional("mass", "a positive number"),
                    Param.optional("damping", "a number in [0, 1)")));

    static final Signature LINE_INTEGRAL = Signature.of(Param.optional("points", "a whole number ≥ 3, odd for simpson"),
            Param.optional("rule", "simpson (default) or trapezoid"));

    /** The default line integral: Simpson's rule on 5 points (3 extra score evaluations per step). */
    static final Mh.LineIntegral DEFAULT_LINE_INTEGRAL = new Mh.LineIntegral(5, "simpson");
    static final Signature STEP_SCHEDULE = Signature.of(Param.required("a", "a positive number"), Param.optional("b", "a number"));

    static final int DEFAULT_STEPS = 100;

    private final EvalContext ctx;

    SamplerLowering(EvalContext ctx) {
        this.ctx = ctx;
    }

    /** Default number of samples: many for low-dimensional latents (statistics), few for images. */
    static int defaultParticles(Shape latent) {
        return latent.size() <= 64 ? 1000 : 16;
    }

    /**
     * Default for {@code annealed(smc = ...)}: on when the SMC weights are exact energy differences, or when the
     * latent is small enough for the score line integrals from the anchor 0 to estimate them. For score-only
     * priors over images those 784-dimensional integrals are so noisy that resampling kept one lineage: all 16
     * samples of the "any digit but 1" example were the same image with smc on, and 16 different digits with it off.
     */
    static boolean defaultSmc(Density prior, Shape latent) {
        return Composition.firstScoreOnly(prior).isEmpty() || latent.size() <= 64;
    }

    /** A lowered sampler and the reason it was chosen. */
    record Choice(SamplerSpec spec, String reason) {}

    Optional<Choice> lower(Optional<Expr.Call> named, Density prior, List<SamplerPlan.Likelihood> likelihoods, Shape latent,
            Span sampleSpan) {
        int observations = likelihoods.size();
        Composition.checkMixtures(prior, ctx::report);
        if (named.isEmpty()) return Optional.of(choose(prior, likelihoods, latent, sampleSpan));
        Expr.Call call = named.get();
        String name = call.callee().name();
        Signature sig = SAMPLERS.get(name);
        if (sig == null) {
            List<String> names = SAMPLERS.keySet().stream().sorted().toList();
            String hint = Suggest.closest(name, names).map(s -> "Did you mean '" + s + "'?")
                    .orElse("Samplers: " + String.join(", ", names) + ".");
            ctx.report(Diagnostic.error(Code.E0212, call.callee().span(), "there is no sampler named '" + name + "'.", hint));
            return Optional.empty();
        }
        Args args = ArgBinder.bind(name, call, sig, ctx);
        int particles = args.integer("particles", defaultParticles(latent), 1);
        String where = "named in the sample statement at line " + sampleSpan.startLine();
        SamplerSpec spec = spec(name, args, particles, prior, latent, likelihoods);
        int trained = Composition.diffusions(prior).stream().mapToInt(d -> d.schedule().trainSteps()).min().orElse(Integer.MAX_VALUE);
        if (spec.steps() > trained) {
            String arg = spec instanceof SamplerSpec.Annealed ? "levels" : "steps";
            args.invalid(arg, "'" + arg + "' is " + spec.steps() + ", but the prior was trained with " + trained + " noise steps.",
                    "Use at most " + trained + ".");
        }
        if (spec instanceof SamplerSpec.Tds t && t.replacement()) ReplacementCheck.check(args, prior, likelihoods, latent);
        if (spec instanceof SamplerSpec.Tds t && (t.twistVar().kind() == SamplerSpec.TwistVariance.Kind.SECOND_ORDER
                || t.twistVar().kind() == SamplerSpec.TwistVariance.Kind.MOMENT)) {
            gaussianTwistNeedsNormal(args, likelihoods, t.twistVar().kind());
        }
        if (spec instanceof SamplerSpec.McgDiff) {
            LinearObservationCheck.problem(prior, likelihoods).ifPresent(why -> {
                ctx.report(Diagnostic.error(Code.E0218, call.callee().span(), "mcgdiff conditions on linear-Gaussian observations "
                        + "(observe y ~ Normal(A @ x, σ), Normal(M * x, σ) or another linear operator of x), but " + why + ".",
                        "Use tds(...): twisted SMC conditions on any observation and factor."));
                args.markFailed();
            });
        }
        if (args.failed()) return Optional.empty();
        // annealed MCMC and the guided reverse process of a composition build the composed target level by level
        boolean composes = spec instanceof SamplerSpec.Annealed || spec instanceof SamplerSpec.CfgReverse;
        if (!composes && !followsOnePrior(name, prior, call.callee().span())) return Optional.empty();
        if (composes) Composition.checkComposable(prior, call.callee().span(), ctx::report);
        String target = spec instanceof SamplerSpec.McgDiff ? linearTarget(prior, likelihoods, latent) : target(prior, observations);
        // replacement fixes the observed coordinates instead of twisting by the observations
        if (spec instanceof SamplerSpec.Tds t && t.replacement()) target = target.replace(" as twists", " fixing masked coordinates");
        String hint = spec instanceof SamplerSpec.Tds t && !t.replacement() && prefersMcgDiff(prior, likelihoods, latent)
                ? " Every observation is linear-Gaussian, so mcgdiff(...) applies too: forward network calls only, and the more "
                        + "accurate of the two on the sharp linear cases of docs/samplers.md." : "";
        return Optional.of(new Choice(spec, where + ": " + target + "; " + why(spec, prior, observations) + "." + hint
                + momentNote(args.has("twist_var") ? null : spec, likelihoods)));
    }

    /**
     * A second-order twist linearises Gaussian observations and a moment-matched one matches a Gaussian's moments: every
     * observation must be Normal (E0113 otherwise).
     */
    private static void gaussianTwistNeedsNormal(Args args, List<SamplerPlan.Likelihood> likelihoods, SamplerSpec.TwistVariance.Kind kind) {
        String builds = kind == SamplerSpec.TwistVariance.Kind.MOMENT
                ? "twist_var = moment builds a Gaussian twist from the mean and variance of G(x0)"
                : "twist_var = second_order builds a Gaussian twist from the Jacobian of G";
        for (SamplerPlan.Likelihood l : likelihoods) {
            if (!(l.family() instanceof LikelihoodFamily.Normal)) {
                args.invalid("twist_var", builds + ", but the observation at line "
                        + l.span().startLine() + " is " + l.family().name() + ".",
                        "Use twist_var = tweedie: it inflates every family's twist (see docs/samplers.md).");
                return;
            }
        }
    }

    /** The sampler {@code name} with the given arguments; every default is written here (and in the helpers it calls) only. */
    private SamplerSpec spec(String name, Args args, int particles, Density prior, Shape latent,
            List<SamplerPlan.Likelihood> likelihoods) {
        return switch (name) {
            case "tds" -> tds(args, particles, prefersMoment(likelihoods, latent));
            case "mcgdiff" -> new SamplerSpec.McgDiff(particles, args.integer("steps", DEFAULT_STEPS, 1), resample(args), ess(args),
                    spacing(args, "tail"), args.integer("runs", 1, 1));
            case "dps" -> new SamplerSpec.Dps(particles, args.integer("steps", DEFAULT_STEPS, 1), args.positive("scale", 1.0));
            case "reverse" -> new SamplerSpec.Reverse(particles, args.integer("steps", DEFAULT_STEPS, 1));
            case "cfg_reverse" -> new SamplerSpec.CfgReverse(particles, args.integer("steps", DEFAULT_STEPS, 1));
            default -> annealed(args, particles, prior, latent);
        };
    }

    private boolean followsOnePrior(String name, Density prior, Span at) {
        if (Composition.singlePriorWithTwists(prior).isPresent()) return true;
        List<Density.Diffusion> ds = Composition.diffusions(prior);
        String fix = "Use annealed MCMC: sample x with annealed(kernel = hmc(leapfrog = 3), mh = "
                + (Composition.firstScoreOnly(prior).isPresent() ? "line_integral(points = 5)" : "energy") + ");";
        if (ds.size() >= 2) {
            String names = ds.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(" and "));
            ctx.report(Diagnostic.error(Code.E0211, at,
                    name + " follows the reverse process of one diffusion prior, but the target multiplies " + ds.size() + " of them (" + names + ").",
                    "A product of diffusion priors has no reverse process of its own, and a diffusion prior cannot enter as a twist: it has no density at x̂0.",
                    fix));
        } else {
            String why = ds.isEmpty() ? "this target has no diffusion prior" : "this target has a mixture or a power of the prior";
            ctx.report(Diagnostic.error(Code.E0210, at, name + " needs exactly one diffusion prior times factors, but " + why + ".", fix));
        }
        return false;
    }

    /** TDS with {@code args}; {@code moment}: the twist variance defaults to the moment-matched twist (else tweedie). */
    private SamplerSpec.Tds tds(Args args, int particles, boolean moment) {
        int steps = args.integer("steps", DEFAULT_STEPS, 1);
        SamplerSpec.Resampling resample = resample(args);
        double ess = ess(args);
        double tau2 = args.positive("tau2", SamplerSpec.TwistVariance.REFERENCE.value());
        boolean replacement = choice(args, "variant", "twisted", List.of("twisted", "replacement")).orElse("twisted").equals("replacement");
        SamplerSpec.TwistVariance twist = new SamplerSpec.TwistVariance(moment && !replacement
                ? SamplerSpec.TwistVariance.Kind.MOMENT : SamplerSpec.TwistVariance.Kind.TWEEDIE, tau2);
        Optional<Value> tv = args.value("twist_var");
        if (tv.isPresent() && tv.get() instanceof Value.Num n) {
            if (n.value() < 0) args.invalid("twist_var", "a fixed twist variance must be ≥ 0, got " + Args.fmt(n.value()) + ".");
            twist = new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.FIXED, n.value());
        } else if (tv.isPresent()) {
            Optional<String> k = choice(args, "twist_var", "tweedie", List.of("tweedie", "moment", "second_order", "reference", "none"));
            if (k.isPresent()) twist = new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.valueOf(k.get().toUpperCase(Locale.ROOT)), tau2);
        }
        // the replacement variant fixes the observed coordinates instead of resolving a sharp twist: on MNIST inpainting
        // it kept more plausibility with evenly spaced steps (0.875 against 0.763 with tail spacing, 10 test digits)
        String defaultSpacing = replacement ? "uniform" : "tail";
        SamplerSpec.Spacing spacing = spacing(args, defaultSpacing);
        int runs = args.integer("runs", 1, 1);
        if (runs > 1 && replacement) {
            args.invalid("runs", "the replacement variant runs one population; 'runs' is for the twisted variant.",
                    "Run the program several times with different seeds instead.");
        }
        return new SamplerSpec.Tds(particles, steps, resample, ess, twist, replacement, spacing, runs);
    }

    /** The resampling scheme of an SMC sampler (systematic unless given). */
    private static SamplerSpec.Resampling resample(Args args) {
        return choice(args, "resample", "systematic", List.of("systematic", "stratified", "multinomial", "residual"))
                .map(s -> SamplerSpec.Resampling.valueOf(s.toUpperCase(Locale.ROOT))).orElse(SamplerSpec.Resampling.SYSTEMATIC);
    }

    /** The resampling threshold of an SMC sampler, a fraction of K in [0, 1] (0.5 unless given). */
    private static double ess(Args args) {
        double ess = args.number("ess", 0.5);
        if (ess < 0 || ess > 1) args.invalid("ess", "'ess' is a fraction of the particles in [0, 1], got " + Args.fmt(ess) + ".",
                "0 never resamples (TDS-IS); 0.5 resamples when ESS < K/2.");
        return ess;
    }

    private static SamplerSpec.Spacing spacing(Args args, String fallback) {
        return SamplerSpec.Spacing.valueOf(choice(args, "spacing", fallback, List.of("tail", "uniform", "quadratic"))
                .orElse(fallback).toUpperCase(Locale.ROOT));
    }

    private SamplerSpec.Annealed annealed(Args args, int particles, Density prior, Shape latent) {
        int levels = args.integer("levels", DEFAULT_STEPS, 1);
        int perLevel = args.integer("steps_per_level", 10, 1);
        Kernel kernel = kernel(args).orElse(new Kernel.Hmc(3, 1.0, 0.0));
        boolean adjusted = kernel instanceof Kernel.Mala || kernel instanceof Kernel.Hmc;
        boolean energies = Composition.firstScoreOnly(prior).isEmpty();
        Mh mh = mh(args).orElse(!adjusted ? new Mh.None() : energies ? new Mh.Energy() : DEFAULT_LINE_INTEGRAL);
        if (mh instanceof Mh.Energy && !energies) {
            args.error(Diagnostic.error(Code.E0213, args.span("mh"),
                    "energy Metropolis–Hastings needs the log-density of every term, but '" + Composition.firstScoreOnly(prior).get().name() + "' is score-only.",
                    "Use mh = line_integral(points = 5): it estimates the log-density ratio from the score along the proposal path."));
        }
        if (!adjusted && !(mh instanceof Mh.None) && args.has("mh")) {
            args.error(Diagnostic.warning(Code.W0004, args.span("mh"),
                    "this kernel is unadjusted, so 'mh' is ignored.", "For a Metropolis-adjusted Langevin kernel use kernel = mala."));
            mh = new Mh.None();
        }
        if (kernel instanceof Kernel.Mala && mh instanceof Mh.None) {
            args.invalid("mh", "kernel = mala is the Metropolis-adjusted Langevin kernel: without a correction it would be ULA.",
                    "Use kernel = ula for unadjusted Langevin, or a correction: mh = energy or mh = line_integral(points = 5).");
        }
        SamplerSpec.StepSize step = stepSize(args);
        boolean smc = bool(args, "smc", defaultSmc(prior, latent));
        double target = args.number("target_acceptance", defaultAcceptance(adjusted, mh));
        if (args.has("target_acceptance") && !(target > 0 && target < 1)) {
            args.invalid("target_acceptance", "'target_acceptance' must lie in (0, 1), got " + Args.fmt(target) + ".");
        }
        ignoredAdaptation(args, adjusted && !(mh instanceof Mh.None), step.adapt());
        return new SamplerSpec.Annealed(particles, levels, kernel, perLevel, step, mh, smc, target);
    }

    /** Warns (W0004) about adaptation settings the sampler will not use: only corrected kernels adapt their step. */
    private static void ignoredAdaptation(Args args, boolean corrected, boolean adapt) {
        String fix = "Step-size adaptation follows the Metropolis–Hastings acceptance rate: use kernel = mala or hmc with mh = energy "
                + "or line_integral(points = 5).";
        if (!corrected && adapt && args.has("adapt")) {
            args.error(Diagnostic.warning(Code.W0004, args.span("adapt"),
                    "this kernel is unadjusted, so it has no acceptance rate to adapt to and 'adapt' is ignored.", fix));
        }
        if (!corrected && args.has("target_acceptance")) {
            args.error(Diagnostic.warning(Code.W0004, args.span("target_acceptance"),
                    "this kernel is unadjusted, so it has no acceptance rate and 'target_acceptance' is ignored.", fix));
        } else if (!adapt && args.has("target_acceptance")) {
            args.error(Diagnostic.warning(Code.W0004, args.span("target_acceptance"),
                    "adapt = false keeps the step size fixed, so 'target_acceptance' is ignored.",
                    "Remove 'target_acceptance', or set adapt = true."));
        }
    }

    /**
     * 0.65 with exact energies; 0.9 with the score line integral, whose error grows with the step
     * (examples/toy/product.dfl, seeds 1-5: log Ẑ averaged -1.890 at 0.65 and -1.824 at 0.9; exact -1.831).
     */
    static double defaultAcceptance(boolean adjusted, Mh mh) {
        if (!adjusted) return 0.0;
        return mh instanceof Mh.LineIntegral ? 0.9 : 0.65;
    }

    private SamplerSpec.StepSize stepSize(Args args) {
        boolean adapt = bool(args, "adapt", true);
        Optional<Value> v = args.value("step_size");
        if (v.isEmpty()) return new SamplerSpec.StepSize(1.0, 1.0, adapt);
        if (v.get() instanceof Value.Num n) {
            if (!(n.value() > 0)) args.invalid("step_size", "'step_size' must be positive, got " + Args.fmt(n.value()) + ".");
            return new SamplerSpec.StepSize(n.value(), 0.0, adapt);
        }
        if (v.get() instanceof Value.Option o && o.option() instanceof Expr.Call c && c.callee().name().equals("schedule")) {
            Args s = ArgBinder.bind("schedule", c, STEP_SCHEDULE, ctx);
            SamplerSpec.StepSize step = new SamplerSpec.StepSize(s.positive("a", 1.0), s.number("b", 1.0), adapt);
            if (s.failed()) args.markFailed();
            return step;
        }
        if (!(v.get() instanceof Value.Error)) {
            args.invalid("step_size", "'step_size' must be a number or schedule(a, b) (η_t = a·β_t^b).");
        }
        return new SamplerSpec.StepSize(1.0, 1.0, adapt);
    }

    private Optional<Kernel> kernel(Args args) {
        Optional<Value> v = args.value("kernel");
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        String word;
        Expr.Call call = null;
        if (v.get() instanceof Value.Option o && o.option() instanceof String w) word = w;
        else if (v.get() instanceof Value.Option o && o.option() instanceof Expr.Call c) {
            word = c.callee().name();
            call = c;
        } else if (v.get() instanceof Value.Str s) word = s.value();
        else {
            args.invalid("kernel", "'kernel' must be one of ula, uhmc, mala, hmc, or one of them with settings such as hmc(leapfrog = 3).");
            return Optional.empty();
        }
        if (!KERNELS.containsKey(word)) {
            unknown(args, "kernel", word, KERNELS.keySet().stream().sorted().toList());
            return Optional.empty();
        }
        Args k = call == null ? null : ArgBinder.bind(word, call, KERNELS.get(word), ctx);
        int leapfrog = k == null ? (word.equals("hmc") ? 3 : 1) : k.integer("leapfrog", word.equals("hmc") ? 3 : 1, 1);
        double mass = k == null ? 1.0 : k.positive("mass", 1.0);
        double damping = k == null ? (word.equals("uhmc") ? 0.9 : 0.0) : k.number("damping", word.equals("uhmc") ? 0.9 : 0.0);
        if (k != null && (damping < 0 || damping >= 1)) k.invalid("damping", "'damping' must lie in [0, 1), got " + Args.fmt(damping) + ".");
        if (k != null && k.failed()) args.markFailed();
        return Optional.of(switch (word) {
            case "ula" -> new Kernel.Ula();
            case "mala" -> new Kernel.Mala();
            case "uhmc" -> new Kernel.Uhmc(leapfrog, mass, damping);
            default -> new Kernel.Hmc(leapfrog, mass, damping);
        });
    }

    private Optional<Mh> mh(Args args) {
        Optional<Value> v = args.value("mh");
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (v.get() instanceof Value.Option o && o.option() instanceof Expr.Call c) {
            if (!c.callee().name().equals("line_integral")) {
                unknown(args, "mh", c.callee().name(), List.of("energy", "line_integral", "none"));
                return Optional.empty();
            }
            Args li = ArgBinder.bind("line_integral", c, LINE_INTEGRAL, ctx);
            int points = li.integer("points", DEFAULT_LINE_INTEGRAL.points(), 2);
            String rule = li.value("rule").flatMap(SamplerLowering::word).orElse(DEFAULT_LINE_INTEGRAL.rule());
            if (!List.of("trapezoid", "simpson").contains(rule)) li.invalid("rule", "'rule' must be trapezoid or simpson, got '" + rule + "'.");
            if (points == 2) {
                // the end points alone: ½(s(x) + s(x′))·(x′ − x) cancels against the proposal's own terms, leaving
                // (ε²/8m)(|s(x)|² − |s(x′)|²), which cannot see the change in log π
                li.invalid("points", "a line integral on the 2 end points only is no Metropolis–Hastings correction: its ratio "
                        + "reduces to comparing |score|² at the two ends and cannot see the change in log-density.",
                        "Use at least 3 points; the default is line_integral(points = 5) with Simpson's rule.");
            } else if (rule.equals("simpson") && points % 2 == 0) {
                li.invalid("points", "Simpson's rule" + (li.has("rule") ? "" : " (the default rule)") + " needs an odd number of points, got "
                        + points + ".", "Use " + (points + 1) + " points" + (li.has("rule") ? "." : ", or rule = trapezoid."));
            }
            if (li.failed()) args.markFailed();
            return Optional.of(new Mh.LineIntegral(points, rule));
        }
        return choice(args, "mh", "energy", List.of("energy", "line_integral", "none")).map(w -> switch (w) {
            case "energy" -> new Mh.Energy();
            case "none" -> new Mh.None();
            default -> DEFAULT_LINE_INTEGRAL;
        });
    }

    private static Optional<String> word(Value v) {
        if (v instanceof Value.Option o && o.option() instanceof String w) return Optional.of(w);
        if (v instanceof Value.Str s) return Optional.of(s.value());
        return Optional.empty();
    }

    private static boolean bool(Args args, String name, boolean fallback) {
        return choice(args, name, String.valueOf(fallback), List.of("true", "false")).map(Boolean::parseBoolean).orElse(fallback);
    }

    /** A bare word or string among {@code allowed}; reports anything else with a suggestion. */
    private static Optional<String> choice(Args args, String name, String fallback, List<String> allowed) {
        Optional<Value> v = args.value(name);
        if (v.isEmpty()) return Optional.of(fallback);
        if (v.get() instanceof Value.Error) return Optional.empty();
        Optional<String> w = word(v.get());
        if (w.isEmpty()) {
            args.invalid(name, "'" + name + "' must be one of " + String.join(", ", allowed) + ", but this is " + v.get().describe() + ".");
            return Optional.empty();
        }
        if (!allowed.contains(w.get())) {
            unknown(args, name, w.get(), allowed);
            return Optional.empty();
        }
        return w;
    }

    private static void unknown(Args args, String name, String got, List<String> allowed) {
        String hint = Suggest.closest(got, allowed).map(s -> "Did you mean '" + s + "'?").orElse("Choose one of: " + String.join(", ", allowed) + ".");
        args.invalid(name, "'" + got + "' is not a valid " + name + ".", hint);
    }

    // ---- default choice ---------------------------------------------------------------------

    /**
     * The compiler's choice: reverse diffusion for a prior alone, mcgdiff for one prior whose every observation is
     * linear-Gaussian over a small latent ({@link #prefersMcgDiff}), TDS for one prior with other observations or factors,
     * annealed MCMC otherwise; built with no arguments, so its settings are the defaults a named sampler gets.
     */
    private Choice choose(Density prior, List<SamplerPlan.Likelihood> likelihoods, Shape latent, Span at) {
        int observations = likelihoods.size();
        Optional<Density.Diffusion> one = Composition.singlePriorWithTwists(prior);
        String name = one.isEmpty() ? "annealed" : observations + Composition.factors(prior) == 0 ? "reverse"
                : prefersMcgDiff(prior, likelihoods, latent) ? "mcgdiff" : "tds";
        Args none = ArgBinder.bind(name, new Expr.Call(new Ident(name, Span.NONE), List.of(), Span.NONE), SAMPLERS.get(name), ctx);
        SamplerSpec spec = spec(name, none, defaultParticles(latent), prior, latent, likelihoods);
        if (spec instanceof SamplerSpec.Annealed) Composition.checkComposable(prior, at, ctx::report);
        String target = spec instanceof SamplerSpec.McgDiff ? linearTarget(prior, likelihoods, latent) : target(prior, observations);
        String note = spec instanceof SamplerSpec.Tds && observations > 0 && LinearObservationCheck.problem(prior, likelihoods).isEmpty()
                ? " Every observation is linear-Gaussian, but mcgdiff(...) is chosen only for latents of at most "
                        + MCGDIFF_MAX_LATENT + " elements: its proposal moves the observed coordinates only and leaves the "
                        + "others to weights and resampling, which the default " + defaultParticles(latent) + " particles of a "
                        + "larger latent are too few for (docs/samplers.md)." : "";
        return new Choice(spec, "chosen by the compiler: " + target + "; " + why(spec, prior, observations) + "." + note
                + momentNote(spec, likelihoods));
    }

    /** What the target is, in the terms that decide the sampler. */
    private static String target(Density prior, int observations) {
        Optional<Density.Diffusion> one = Composition.singlePriorWithTwists(prior);
        int factors = Composition.factors(prior);
        if (one.isPresent() && observations + factors == 0) return "the target is the diffusion prior '" + one.get().name() + "' alone";
        if (one.isPresent()) {
            String terms = (observations > 0 ? count(observations, "observation") : "")
                    + (factors > 0 ? (observations > 0 ? " and " : "") + count(factors, "factor") : "");
            return "the target is one diffusion prior '" + one.get().name() + "' with " + terms + " as twists";
        }
        List<Density.Diffusion> ds = Composition.diffusions(prior);
        if (ds.size() >= 2) {
            return "the target composes " + ds.size() + " diffusion priors (" + ds.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(", "))
                    + "), which have no joint reverse process";
        }
        return "the target is not one diffusion prior times factors (it has a mixture or a power of the prior)";
    }

    /**
     * The largest latent for which the compiler picks mcgdiff: up to here the default is 1000 particles, and mcgdiff beat
     * TDS or matched it on every linear case of the accuracy benchmark (2 to 64 dimensions); on MNIST inpainting with the image
     * default of 16 particles TDS placed all the weight on the true digit where mcgdiff placed 0.70 (docs/samplers.md).
     */
    static final int MCGDIFF_MAX_LATENT = 64;

    /** Whether the compiler prefers mcgdiff: every observation linear-Gaussian, no factor, a latent of at most 64 elements. */
    private static boolean prefersMcgDiff(Density prior, List<SamplerPlan.Likelihood> likelihoods, Shape latent) {
        return !likelihoods.isEmpty() && latent.size() <= MCGDIFF_MAX_LATENT && LinearObservationCheck.problem(prior, likelihoods).isEmpty();
    }

    /**
     * The largest latent (in elements) on which TDS's twist defaults to {@code moment} for nonlinear observations: its
     * cubature takes 3^d points per particle there (729 at 6), all in one evaluation of G. Measured on the 2-D nonlinear
     * cases of the accuracy benchmark (x₁x₂, x₁², ‖x‖²), where the Tweedie twist missed by up to 0.7 s.d. and 6 in
     * log Z and the moment-matched one stayed within 0.1 s.d. and 0.3 (docs/samplers.md).
     */
    static final int MOMENT_MAX_LATENT = 6;

    /** Whether TDS's twist defaults to {@code moment}: every observation Normal, one nonlinear, on a small latent. */
    private static boolean prefersMoment(List<SamplerPlan.Likelihood> likelihoods, Shape latent) {
        return !likelihoods.isEmpty() && latent.size() <= MOMENT_MAX_LATENT
                && likelihoods.stream().allMatch(l -> l.family() instanceof LikelihoodFamily.Normal)
                && likelihoods.stream().anyMatch(l -> LinearObservationCheck.nonAffine(l.mean()).isPresent());
    }

    /** Why the twist is moment-matched, when the default made it so ({@code spec} null: the program chose the twist). */
    private static String momentNote(SamplerSpec spec, List<SamplerPlan.Likelihood> likelihoods) {
        if (!(spec instanceof SamplerSpec.Tds t) || t.twistVar().kind() != SamplerSpec.TwistVariance.Kind.MOMENT) return "";
        int line = likelihoods.stream().filter(l -> LinearObservationCheck.nonAffine(l.mean()).isPresent()).findFirst()
                .map(l -> l.span().startLine()).orElse(0);
        return " The mean of the observation at line " + line + " is nonlinear in a latent of at most " + MOMENT_MAX_LATENT
                + " elements, so the twist matches the mean and variance of G(x0) over x0 ~ N(x̂0, (1−ᾱ_t)/ᾱ_t I) "
                + "(twist_var = moment; the Tweedie twist N(y; G(x̂0), σ² + (1−ᾱ_t)/ᾱ_t) is over-confident where G curves).";
    }

    /** The target of mcgdiff: one prior whose every observation is linear-Gaussian, with the size of the stacked A. */
    private static String linearTarget(Density prior, List<SamplerPlan.Likelihood> likelihoods, Shape latent) {
        long rows = likelihoods.stream().mapToLong(l -> l.data().shape().size()).sum();
        String name = Composition.singlePriorWithTwists(prior).map(Density.Diffusion::name).orElse("?");
        return "the target is one diffusion prior '" + name + "' with " + count(likelihoods.size(), "observation") + ", every one "
                + "linear-Gaussian (Normal, with a mean affine in the latent: A is " + rows + " × " + latent.size() + ")";
    }

    /** Why the sampler is right (or what it trades away) for this target. */
    private static String why(SamplerSpec spec, Density prior, int observations) {
        boolean alone = observations + Composition.factors(prior) == 0;
        if (spec instanceof SamplerSpec.Tds t && t.replacement()) {
            return "the replacement variant (SMCDiff) sets the masked coordinates of every particle to one forward-noised copy of "
                    + "the observation, proposes the others from the prior's reverse process and weights by how well the model "
                    + "predicts the next copy; it treats the observation as exact up to the last step, is exact only as particles "
                    + "and steps grow with an exact model, and estimates log p(y)";
        }
        if (spec instanceof SamplerSpec.McgDiff) {
            return "mcgdiff conditions on them in the coordinates of the SVD of A (computed once per run): each step proposes from the "
                    + "exact Gaussian product of the reverse step with a linearised twist towards the observation and weights by its "
                    + "normaliser, with forward network calls only (one per step, and from K = 256 on one per step of a pilot of K/8 "
                    + "particles that sets the twists' slopes) and no gradient; asymptotically exact as particles grow, and estimates log p(y)";
        }
        if (spec instanceof SamplerSpec.Tds) {
            return "twisted SMC (TDS) follows its reverse process and corrects it with importance weights, so it is asymptotically exact "
                    + "as particles grow and estimates log p(y)";
        }
        if (spec instanceof SamplerSpec.Dps) {
            return "DPS follows its reverse process with a gradient step towards the observations (approximate: it has no weights)";
        }
        if (spec instanceof SamplerSpec.CfgReverse) {
            return "cfg_reverse takes ancestral reverse steps on the composed score Σ γ_i s_i(x_t) (for cond^w * uncond^(1-w) "
                    + "classifier-free guidance, ε̂ = w ε̂_cond + (1 − w) ε̂_uncond), an unadjusted baseline that is not exact for "
                    + "the composed density: the noised marginals of a product are not the product of the noised marginals, and "
                    + "nothing corrects the difference (annealed(...) samples the composition)";
        }
        if (spec instanceof SamplerSpec.Reverse) {
            return alone ? "ancestral reverse diffusion samples it directly"
                    : "reverse diffusion adds the terms' gradients to the score (plain guidance: biased, no weights)";
        }
        SamplerSpec.Annealed a = (SamplerSpec.Annealed) spec;
        String correction = a.mh() instanceof Mh.Energy ? "corrected by exact energy Metropolis–Hastings"
                : a.mh() instanceof Mh.LineIntegral ? "corrected by Metropolis–Hastings on the score line integral"
                : "unadjusted (no Metropolis–Hastings)";
        return "annealed MCMC samples the composed density at every noise level, " + correction
                + (a.smc() ? ", with SMC resampling between levels to weigh the modes (plain MCMC cannot move chains between them at low noise)" : "");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
