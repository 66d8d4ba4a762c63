package dfl.plan;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints a {@link SamplerPlan} as an indented tree ({@code dfl plan}, {@code --dump plan}). */
public final class PlanPrinter {

    private final StringBuilder out = new StringBuilder();

    private PlanPrinter() {}

    public static String print(SamplerPlan plan) {
        PlanPrinter p = new PlanPrinter();
        p.plan(plan);
        return p.out.toString();
    }

    /**
     * The sampler's settings, one per line without indentation (the plan printer's sampler section): what trace.csv's
     * header records, e.g. {@code sampler tds}, {@code particles 16}, {@code steps 100, tail spacing}.
     */
    public static List<String> samplerSettings(SamplerPlan plan) {
        PlanPrinter p = new PlanPrinter();
        p.sampler(0, plan.sampler(), plan.prior());
        return p.out.toString().lines().map(String::strip).toList();
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }

    private void plan(SamplerPlan plan) {
        line(0, "plan " + plan.modelName());
        line(1, "latent " + plan.latent().name() + " " + plan.latent().shape());
        line(1, "target");
        line(2, "prior");
        density(3, plan.prior());
        for (SamplerPlan.Likelihood l : plan.likelihoods()) {
            line(2, "likelihood (line " + l.span().startLine() + "): " + l.family().describe());
            line(3, "data " + tensor(l.data()) + " " + l.data().shape());
            line(3, l.family().parameter() + " " + tensor(l.mean()) + " " + l.mean().shape());
        }
        sampler(1, plan.sampler(), plan.prior());
        if (plan.sampler() instanceof SamplerSpec.Tds t && !t.replacement()) familyTwists(plan.likelihoods());
        line(1, "reason: " + plan.reason());
        line(1, "output " + plan.outDir().orElse("out/" + plan.modelName() + "/"));
    }

    private void density(int indent, Density d) {
        if (d instanceof Density.Diffusion p) {
            line(indent, "diffusion '" + p.name() + "': " + model(p.model()) + ", schedule " + schedule(p.schedule()));
        } else if (d instanceof Density.Factor f) {
            line(indent, "factor '" + f.name() + "': " + factor(f.factor()));
        } else if (d instanceof Density.Product p) {
            line(indent, "product");
            p.terms().forEach(t -> density(indent + 1, t));
        } else if (d instanceof Density.Power p) {
            line(indent, "power " + num(p.exponent()));
            density(indent + 1, p.base());
        } else if (d instanceof Density.Mixture m) {
            line(indent, "mixture weights " + m.weights().stream().map(PlanPrinter::num).collect(Collectors.joining(", ", "[", "]")));
            m.components().forEach(c -> density(indent + 1, c));
        }
    }

    private static String model(ModelRef m) {
        if (m instanceof ModelRef.Gmm g) {
            return "exact gaussian mixture, " + g.components() + " component" + (g.components() == 1 ? "" : "s")
                    + " in " + g.dimension() + "-D (score and energy)";
        }
        if (m instanceof ModelRef.Builtin b) return "built-in model \"" + b.name() + "\" " + b.shape() + " (score only)";
        if (m instanceof ModelRef.Conditional c) return model(c.network()) + ", " + condition(c);
        ModelRef.TorchScript t = (ModelRef.TorchScript) m;
        return "TorchScript \"" + t.path() + "\" " + t.shape() + ", parameterization " + t.parameterization()
                + (t.hasEnergy() ? " (score and energy)" : " (score only)");
    }

    private static String condition(ModelRef.Conditional c) {
        if (c.condition() instanceof Condition.Label l) return "conditioned on label " + l.index() + " of " + c.classes();
        if (c.condition() instanceof Condition.Vector v) {
            return "conditioned on the vector " + v.values().stream().map(PlanPrinter::num).collect(Collectors.joining(", ", "[", "]"));
        }
        return "the null condition" + (c.classes() > 0 ? " (label " + c.classes() + ")" : "");
    }

    private static String factor(FactorRef f) {
        if (f instanceof FactorRef.Classifier c) {
            return "classifier \"" + c.model() + "\", label " + c.label() + ", temperature " + num(c.temperature());
        }
        String input = f.noiseConditioned() ? ", noise-conditioned: log f(x_t, t) on x_t itself (f at t = 0 in the target)"
                : " at x̂0";
        if (f instanceof FactorRef.TorchScript t) return "TorchScript log-density \"" + t.path() + "\" " + t.shape() + input;
        FactorRef.TorchScriptClassifier c = (FactorRef.TorchScriptClassifier) f;
        return "TorchScript classifier \"" + c.path() + "\" " + c.shape() + ", label " + c.label()
                + (c.classes() > 0 ? " of " + c.classes() : "") + ", temperature " + num(c.temperature()) + input;
    }

    /** A schedule as plans and diagnostics print it, e.g. {@code linear β 1e-4 → 0.02, 1000 steps}. */
    public static String schedule(Schedule s) {
        return s.kind() + (s.kind().equals("linear") ? " β " + num(s.betaStart()) + " → " + num(s.betaEnd()) : "") + ", " + s.trainSteps() + " steps";
    }

    private void sampler(int indent, SamplerSpec s, Density prior) {
        line(indent, "sampler " + s.name());
        line(indent + 1, "particles " + s.particles());
        if (s instanceof SamplerSpec.Reverse r) {
            line(indent + 1, "steps " + r.steps());
        } else if (s instanceof SamplerSpec.CfgReverse c) {
            line(indent + 1, "steps " + c.steps());
            line(indent + 1, "ancestral steps on the composed score Σ γ_i s_i(x_t) (classifier-free guidance: ε̂ = w·ε̂_cond + (1 − w)·ε̂_uncond)");
            line(indent + 1, "NOT exact for the composed density: the noised marginals of a product are not the product of the noised "
                    + "marginals; a baseline without weights (annealed(...) samples the composition)");
        } else if (s instanceof SamplerSpec.Dps d) {
            line(indent + 1, "steps " + d.steps());
            line(indent + 1, "scale " + num(d.scale()));
        } else if (s instanceof SamplerSpec.Tds t) {
                smc(indent + 1, t.steps(), t.spacing(), t.runs(), t.particles(), t.resample(), t.ess(), " (never: TDS-IS)");
                if (t.replacement()) line(indent + 1, "masked coordinates replaced by a forward-noised copy of y (SMCDiff), no twist");
                else line(indent + 1, "twist variance " + twist(t.twistVar()));
        } else if (s instanceof SamplerSpec.McgDiff g) {
                smc(indent + 1, g.steps(), g.spacing(), g.runs(), g.particles(), g.resample(), g.ess(), " (never)");
                line(indent + 1, "proposal: the reverse step times the twist N(ȳ; x̂0̄ linear in x̄, 1/s² + Tweedie's covariance) in "
                        + "the SVD coordinates x̄ = Vᵀx of A (ȳ, s from y and A), slopes "
                        + (g.pilotParticles() > 0 ? "regressed in a pilot of " + g.pilotParticles() + " particles" : "1/√ᾱ (no pilot below 256 particles)")
                        + "; forward network calls only");
        } else if (s instanceof SamplerSpec.Annealed a) {
                annealed(indent + 1, a, prior);
        }
    }

    /** The steps, populations and resampling of an SMC sampler; {@code never} follows the threshold when it is 0. */
    private void smc(int indent, int steps, SamplerSpec.Spacing spacing, int runs, int particles, SamplerSpec.Resampling resample,
            double ess, String never) {
        line(indent, "steps " + steps + ", " + spacing.name().toLowerCase(Locale.ROOT) + " spacing");
        if (runs > 1) {
            line(indent, "runs " + runs + ": independent populations of " + particles + " in one batch of " + runs * particles
                    + ", each with its own weights and log Z");
        }
        line(indent, "resample " + resample.name().toLowerCase(Locale.ROOT) + " when ESS < " + num(ess) + "·K" + (ess == 0 ? never : ""));
    }

    /** How the twist variance's extra_t widens each observation family other than Normal (one line per family). */
    private void familyTwists(List<SamplerPlan.Likelihood> likelihoods) {
        if (likelihoods.stream().allMatch(l -> l.family() instanceof LikelihoodFamily.Normal)) return;
        line(2, "other families, extra_t being the inflation added to σ² above:");
        likelihoods.stream().map(SamplerPlan.Likelihood::family).filter(f -> !(f instanceof LikelihoodFamily.Normal))
                .map(f -> f.name() + " twist: " + (f instanceof LikelihoodFamily.Laplace ? "Laplace(mean, b_t) with 2b_t² = 2b² + extra_t"
                        : f instanceof LikelihoodFamily.StudentT ? "StudentT(mean, σ_t, ν) with σ_t² = σ² + extra_t"
                        : f instanceof LikelihoodFamily.Poisson ? "negative binomial with mean rate, variance rate + extra_t·rate²"
                        : "Bernoulli(logits / √(1 + π·extra_t/8))"))
                .distinct().forEach(text -> line(3, text));
    }

    /** Only what the sampler uses: no adaptation or target without a correction, no log Z where it is not valid. */
    private void annealed(int indent, SamplerSpec.Annealed a, Density prior) {
        boolean corrected = !(a.mh() instanceof SamplerSpec.Mh.None)
                && (a.kernel() instanceof SamplerSpec.Kernel.Mala || a.kernel() instanceof SamplerSpec.Kernel.Hmc);
        boolean adapted = corrected && a.stepSize().adapt();
        line(indent, "levels " + a.steps());
        line(indent, "steps per level " + a.stepsPerLevel());
        line(indent, "kernel " + kernel(a.kernel()));
        line(indent, "step size " + step(a.stepSize(), adapted));
        line(indent, "mh " + (corrected ? mh(a.mh(), a.kernel()) : "none (unadjusted)"));
        if (adapted) line(indent, "target acceptance " + num(a.targetAcceptance()));
        if (a.smc()) {
            String z = !allEnergies(prior) ? "weights from score line integrals (score-only priors: no log Z)"
                    : corrected ? "estimate log Z"
                    : "no log Z (an unadjusted kernel does not leave each level's density invariant)";
            line(indent, "smc: resample between levels, " + z);
        }
    }

    /** Whether every diffusion prior in the tree has an energy, so annealed SMC can estimate log Z. */
    private static boolean allEnergies(Density d) {
        if (d instanceof Density.Diffusion diff) return diff.model().hasEnergy();
        if (d instanceof Density.Product p) return p.terms().stream().allMatch(PlanPrinter::allEnergies);
        if (d instanceof Density.Power p) return allEnergies(p.base());
        if (d instanceof Density.Mixture m) return m.components().stream().allMatch(PlanPrinter::allEnergies);
        return true;
    }

    private static String twist(SamplerSpec.TwistVariance t) {
        return switch (t.kind()) {
            case REFERENCE -> "reference: σ² + s²τ²/(s²+τ²), τ² = " + num(t.value());
            case NONE -> "none: σ² (over-confident, DPS-like)";
            case TWEEDIE -> "tweedie: σ² + (1−ᾱ_t)/ᾱ_t";
            case FIXED -> "fixed: σ² + " + num(t.value());
            case SECOND_ORDER -> "second order: σ² I + J_G Cov[x0|x_t] J_Gᵀ, Cov = (1−ᾱ_t)/√ᾱ_t ∂x̂0/∂x_t; Gaussian-conditional proposal";
            case MOMENT -> "moment: N(y; E[G(x0)], σ² + Var[G(x0)]), x0 ~ N(x̂0, (1−ᾱ_t)/ᾱ_t I) by cubature";
        };
    }

    private static String kernel(SamplerSpec.Kernel k) {
        if (k instanceof SamplerSpec.Kernel.Ula) return "ula";
        if (k instanceof SamplerSpec.Kernel.Mala) return "mala";
        if (k instanceof SamplerSpec.Kernel.Uhmc u) {
            return "uhmc(leapfrog = " + u.leapfrog() + ", mass = " + num(u.mass()) + ", damping = " + num(u.damping()) + ")";
        }
        SamplerSpec.Kernel.Hmc h = (SamplerSpec.Kernel.Hmc) k;
        return "hmc(leapfrog = " + h.leapfrog() + ", mass = " + num(h.mass()) + ", damping = " + num(h.damping()) + ")";
    }

    private static String step(SamplerSpec.StepSize s, boolean adapted) {
        String base = s.b() == 0 ? num(s.a()) + " (fixed)" : num(s.a()) + "·β_t^" + num(s.b());
        return base + (adapted ? ", adapted towards the target acceptance" : "");
    }

    private static String mh(SamplerSpec.Mh m, SamplerSpec.Kernel k) {
        if (m instanceof SamplerSpec.Mh.Energy) return "energy";
        SamplerSpec.Mh.LineIntegral l = (SamplerSpec.Mh.LineIntegral) m;
        int extra = l.points() - 2;
        return "line_integral(points = " + l.points() + ", rule = " + l.rule() + ") of the score from x to "
                + (k instanceof SamplerSpec.Kernel.Hmc ? "the trajectory's end (straight segment)" : "the proposal")
                + ", " + extra + " extra evaluation" + (extra == 1 ? "" : "s") + " per step";
    }

    /** A tensor expression in DFL-like notation; constants longer than 8 values are summarised. */
    public static String tensor(TensorExpr e) {
        if (e instanceof TensorExpr.Latent) return "x";
        if (e instanceof TensorExpr.Const c) {
            if (c.shape().rank() == 0) return num(c.values().get(0));
            return c.values().size() <= 8 ? constant(c.values(), c.shape().toArray(), 0, 0) : "const" + c.shape();
        }
        if (e instanceof TensorExpr.Load l) return "load(\"" + l.path() + "\")";
        if (e instanceof TensorExpr.Bound b) return "bound(\"" + b.name() + "\")";
        if (e instanceof TensorExpr.Neg n) return "-(" + tensor(n.operand()) + ")";
        if (e instanceof TensorExpr.Binary b) return "(" + tensor(b.left()) + " " + symbol(b.op()) + " " + tensor(b.right()) + ")";
        if (e instanceof TensorExpr.Apply a) {
            String args = a.args().stream().map(PlanPrinter::tensor).collect(Collectors.joining(", "));
            String opts = a.primitive() instanceof Primitive.Reshape ? "shape = " + a.shape() : a.primitive().options();
            return a.primitive().name() + "(" + args + (opts.isEmpty() ? "" : ", " + opts) + ")";
        }
        TensorExpr.Builtin b = (TensorExpr.Builtin) e;
        return b.name() + "(" + builtinArgs(b) + ")";
    }

    private static String builtinArgs(TensorExpr.Builtin b) {
        String args = b.args().stream().map(PlanPrinter::tensor).collect(Collectors.joining(", "));
        Map<String, Object> sorted = new TreeMap<>(b.options().shown());
        String opts = sorted.entrySet().stream()
                .map(en -> en.getKey() + " = " + (en.getValue() instanceof String s ? "\"" + s + "\"" : en.getValue() instanceof Double d ? num(d) : String.valueOf(en.getValue())))
                .collect(Collectors.joining(", "));
        return args.isEmpty() ? opts : opts.isEmpty() ? args : args + ", " + opts;
    }

    /** Values of a tensor of shape {@code dims}, row-major, as nested brackets: {@code [[1, 0.5], [0, 2]]}. */
    public static String values(List<Double> values, int[] dims) {
        return constant(values, dims, 0, 0);
    }

    private static String constant(List<Double> values, int[] dims, int axis, int offset) {
        if (axis == dims.length) return num(values.get(offset));
        int stride = 1;
        for (int i = axis + 1; i < dims.length; i++) stride *= dims[i];
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) sb.append(", ");
            sb.append(constant(values, dims, axis + 1, offset + i * stride));
        }
        return sb.append(']').toString();
    }

    private static String symbol(TensorExpr.Op op) {
        return switch (op) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case POW -> "^";
            case MATMUL -> "@";
        };
    }

    /** Numbers as users write them: whole numbers without ".0", others in shortest form. */
    public static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        String s = String.valueOf(d);
        return s.contains("E") ? s.replace(".0E", "E").replace("E", "e") : s;
    }
}
