package dfl.compiler.check;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.compiler.builtin.ArgBinder;
import dfl.compiler.builtin.Args;
import dfl.compiler.Checked;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.EvalContext;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.PlanPrinter;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a resolved program to compile-time {@link Value}s: kinds, tensor shapes and constants, and checks its
 * structure (one latent, one prior, one sample statement). Statements are checked in order; the latent's shape comes
 * from the prior ({@code compose} or {@code x ~ prior}), which may appear after the observations that use the latent.
 * Collects every error it can find; it never throws on a user mistake. {@link #check} returns the immutable
 * {@link Checked} analysis; the checker itself is used once.
 */
final class Checker implements EvalContext {

    private static final int MAX_CALL_DEPTH = 64;

    private final Program program;
    private final Resolution resolution;
    private final Map<String, Value> overrides;
    private final List<Diagnostic> diagnostics;
    private final Arithmetic arithmetic;
    private final Map<Stmt.Binding, Value> memo = new IdentityHashMap<>();
    private final Map<Stmt.Binding, Value> declared = new IdentityHashMap<>();
    private final Map<Expr, Value> values = new IdentityHashMap<>();
    private final Deque<List<Value>> frames = new ArrayDeque<>();
    private final ExpansionBudget budget = new ExpansionBudget();
    /** The user-function call being expanded from top level, where a budget overrun is reported. */
    private Expr.Call expanding;

    private final String latentName;
    private Value latentValue;
    private boolean computingLatent;

    private Stmt.Latent latentDecl;
    private Value.Dens latentPrior;
    private Stmt.Compose compose;
    private Value.Dens composed;
    private Stmt.Sample sample;
    private final List<Checked.Observation> observations = new ArrayList<>();

    Checker(Program program, Resolution resolution, Map<String, Value> overrides, List<Diagnostic> diagnostics) {
        this.program = program;
        this.resolution = resolution;
        this.overrides = overrides;
        this.diagnostics = diagnostics;
        this.arithmetic = new Arithmetic(d -> diagnostics.add(atCallSite(d)), budget);
        this.latentName = resolution.latent().orElse(null);
    }

    @Override
    public void report(Diagnostic d) {
        diagnostics.add(d);
    }

    /** A budget overrun inside a function body is reported where the program calls the function, not in its definition. */
    private Diagnostic atCallSite(Diagnostic d) {
        if (d.code() != Code.E0117 || expanding == null) return d;
        return new Diagnostic(d.code(), d.severity(), expanding.span(), d.message(), d.hints());
    }

    /**
     * Checks the program and returns its analysis.
     *
     * @param source        the program's text
     * @param modelName     the file's stem
     * @param requireSample whether a missing {@code sample} statement is an error (files), or the default sampler is
     *                      planned for the latent (the REPL's {@code :plan})
     */
    Checked check(SourceFile source, String modelName, boolean requireSample) {
        statements();
        Value.Dens prior = structure(requireSample);
        List<Checked.Binding> bindings = new ArrayList<>();
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b && bindingValue(b) instanceof Value.Error) {
                // its definition already has an error: "never used" beside it would only distract
                diagnostics.removeIf(x -> x.code() == Code.W0001 && x.span().equals(b.name().span()));
            }
            if (s instanceof Stmt.Binding b) bindings.add(new Checked.Binding(b.name().name(), b, bindingValue(b), declared.get(b)));
            if (s instanceof Stmt.FunctionDef f) bindings.add(new Checked.Binding(f.name().name(), f, new Value.Func(f), new Value.Func(f)));
        }
        Optional<Checked.Latent> latent = Optional.ofNullable(latentName).map(n -> new Checked.Latent(n,
                Optional.ofNullable(prior).map(Value.Dens::shape), latentSpan()));
        return new Checked(source, modelName, Optional.of(program), bindings, latent, Optional.ofNullable(prior), observations,
                Optional.ofNullable(sample), diagnostics, values);
    }

    private Span latentSpan() {
        return latentDecl != null ? latentDecl.name().span() : sample != null ? sample.latent().span() : Span.NONE;
    }

    private void statements() {
        checkOverridesExist();
        for (Stmt s : program.statements()) {
            if (sample != null && !(s instanceof Stmt.Binding || s instanceof Stmt.FunctionDef)) {
                report(Diagnostic.error(Code.E0216, s.span(), "this statement comes after 'sample', which runs inference; it would be ignored.",
                        "Move it above the sample statement at line " + sample.span().startLine() + "."));
                continue;
            }
            if (s instanceof Stmt.Binding b) bindingValue(b);
            else if (s instanceof Stmt.Latent l) latent(l);
            else if (s instanceof Stmt.Observe o) observe(o);
            else if (s instanceof Stmt.Compose c) compose(c);
            else if (s instanceof Stmt.Sample sm) sample(sm);
        }
    }

    // ---- statements -------------------------------------------------------------------------

    private void latent(Stmt.Latent l) {
        if (latentDecl != null) {
            report(Diagnostic.error(Code.E0204, l.span(), "the latent is already declared at line " + latentDecl.span().startLine() + ".",
                    "A program samples one latent variable; declare it once."));
            return;
        }
        latentDecl = l;
        latentPrior = asDensity(eval(l.prior()), l.prior().span(), "the prior of '" + l.name().name() + "'");
    }

    private void compose(Stmt.Compose c) {
        if (compose != null) {
            report(Diagnostic.error(Code.E0214, c.span(), "'compose' is already given at line " + compose.span().startLine() + ".",
                    "Combine the terms in one compose statement, e.g. compose p * q;"));
            return;
        }
        compose = c;
        composed = asDensity(eval(c.target()), c.target().span(), "'compose'");
    }

    private Value.Dens asDensity(Value v, Span span, String what) {
        if (v instanceof Value.Dens d) return d;
        if (v instanceof Value.Error) return null;
        String hint = v instanceof Value.Model ? "Wrap the model: diffusion(" + "...)." : "Densities come from diffusion(...), classifier(...) and their compositions.";
        report(Diagnostic.error(Code.E0107, span, what + " must be a density, but this is " + v.describe() + ".", hint));
        return null;
    }

    private void observe(Stmt.Observe o) {
        Value dist = eval(o.distribution());
        Value data = eval(o.data());
        if (!(dist instanceof Value.Dist d)) {
            if (!(dist instanceof Value.Error)) {
                report(Diagnostic.error(Code.E0207, o.distribution().span(),
                        "the right of '~' in an observation must be a distribution, but this is " + dist.describe() + ".",
                        "Write observe y ~ Normal(G(x), σ);"));
            }
            return;
        }
        Value.Tensor y = null;
        if (data instanceof Value.Tensor t) y = t;
        else if (data instanceof Value.Num n) y = Arithmetic.constant(new double[] {n.value()}, Shape.SCALAR);
        else if (!(data instanceof Value.Error)) {
            report(Diagnostic.error(Code.E0107, o.data().span(), "observed data must be a tensor or a number, but this is " + data.describe() + "."));
        }
        if (y == null) return;
        if (y.dependsOnLatent()) {
            report(Diagnostic.error(Code.E0206, o.data().span(),
                    "the observed data depends on the latent '" + latentName + "'; data must be known values.",
                    "Put the data on the left of '~' and the model of it on the right: observe y ~ Normal(G(" + latentName + "), σ);"));
            return;
        }
        Value.Tensor mean = d.mean();
        if (!mean.dependsOnLatent()) {
            String what = d.family().parameter();
            report(Diagnostic.warning(Code.W0003, o.distribution().span(),
                    "the " + what + " of this observation does not depend on the latent" + (latentName == null ? "" : " '" + latentName + "'") + ", so it cannot influence the samples.",
                    "Write the " + what + " as a function of the latent, e.g. " + example(d.family(), "A @ " + (latentName == null ? "x" : latentName)) + "."));
        }
        if (!inSupport(y, d.family(), o.data().span())) return;
        if (y.shape() == null && mean.shape() != null) {
            if (!(y.expr() instanceof TensorExpr.Load load)) {
                report(Diagnostic.error(Code.E0108, o.data().span(), "the shape of the observed data cannot be determined before the data is read.",
                        "Observe the loaded data directly: observe load(\"y.png\") ~ ...; or bind it to a name first."));
                return;
            }
            y = new Value.Tensor(mean.shape(), new TensorExpr.Load(load.path(), mean.shape(), load.span()), false);
        } else if (y.shape() != null && mean.shape() != null && !y.shape().equals(mean.shape())) {
            report(Diagnostic.error(Code.E0108, o.span(),
                    "the data has shape " + y.shape() + " but the mean of its distribution has shape " + mean.shape() + ".",
                    "G(x) must produce the shape of the data."));
            return;
        }
        observations.add(new Checked.Observation(y, d, o));
    }

    /**
     * Whether literal data (a constant) lies in the family's support; reports E0116 at the data for the first element
     * outside it. Data read from files is checked when the run reads it (E0308).
     */
    private boolean inSupport(Value.Tensor y, LikelihoodFamily family, Span at) {
        if (!(y.expr() instanceof TensorExpr.Const c)) return true;
        for (int i = 0; i < c.values().size(); i++) {
            double v = c.values().get(i);
            Optional<String> why = family.outsideSupport(v);
            if (why.isPresent()) {
                String element = c.shape().rank() == 0 ? "the observed value " + PlanPrinter.num(v)
                        : "the observed element " + java.util.Arrays.toString(c.shape().index(i)) + " (" + PlanPrinter.num(v) + ")";
                report(Diagnostic.error(Code.E0116, at, element + " " + why.get() + ": a " + family.name()
                        + " observation is " + family.support() + ".", supportHint(family)));
                return false;
            }
        }
        return true;
    }

    /** {@code family} applied to {@code parameter}, its constants by their symbols: Normal(A @ x, σ), Poisson(A @ x). */
    private static String example(LikelihoodFamily family, String parameter) {
        if (family instanceof LikelihoodFamily.Normal) return "Normal(" + parameter + ", σ)";
        if (family instanceof LikelihoodFamily.Laplace) return "Laplace(" + parameter + ", b)";
        if (family instanceof LikelihoodFamily.StudentT) return "StudentT(" + parameter + ", σ, ν)";
        return family.describe(parameter);
    }

    private static String supportHint(LikelihoodFamily family) {
        if (family instanceof LikelihoodFamily.Poisson) return "Observe photon or event counts; for real-valued data use Normal(...).";
        if (family instanceof LikelihoodFamily.Bernoulli) return "Observe binary outcomes as 0 and 1; for probabilities in between use Normal(...).";
        return "Observed data must be finite numbers.";
    }

    private void sample(Stmt.Sample s) {
        sample = s;
        s.sampler().ifPresent(this::samplerArguments);
        if (latentDecl != null && !latentDecl.name().name().equals(s.latent().name())) {
            report(Diagnostic.error(Code.E0205, s.latent().span(),
                    "'" + s.latent().name() + "' is not the latent: line " + latentDecl.span().startLine() + " declares '" + latentDecl.name().name() + "'.",
                    "Did you mean '" + latentDecl.name().name() + "'?"));
        }
    }

    /** Evaluates a sampler call's arguments, and those of option calls inside them ({@code hmc(leapfrog = 3)}), for lowering. */
    private void samplerArguments(Expr.Call call) {
        for (Arg a : call.args()) {
            if (eval(a.value()) instanceof Value.Option o && o.option() instanceof Expr.Call inner) samplerArguments(inner);
        }
    }

    // ---- program structure ------------------------------------------------------------------

    /**
     * The rules that need the whole program: a latent, a sample statement (files), one of them, and one prior; returns
     * the prior part of the target (compose, {@code x ~ prior}, or the one diffusion binding), or null.
     */
    private Value.Dens structure(boolean requireSample) {
        Span end = program.span().isKnown() ? Span.at(program.span().endLine(), program.span().endColumn()) : Span.NONE;
        if (latentName == null) {
            report(Diagnostic.error(Code.E0203, end, "the program names no latent variable to sample.",
                    "End it with a sample statement, e.g. sample x with tds(particles = 16);"));
            return null;
        }
        if (sample == null && requireSample) {
            report(Diagnostic.error(Code.E0201, end, "the program has no sample statement, so nothing would run.",
                    "End it with: sample " + latentName + ";"));
        }
        program.statements().stream().filter(s -> s instanceof Stmt.Sample).skip(1).findFirst().ifPresent(s ->
                report(Diagnostic.error(Code.E0202, s.span(), "a program runs one sample statement; this is the second.",
                        "Keep one; to compare samplers, run the file with different settings.")));
        Value.Dens prior = composed != null ? composed : latentPrior;
        if (prior == null && compose == null && latentDecl == null) {
            Optional<Stmt.Binding> implicit = implicitPrior();
            // the implicit prior is used by the program even though no statement names it (also when its value failed)
            implicit.ifPresent(b -> diagnostics.removeIf(x -> x.code() == Code.W0001 && x.span().equals(b.name().span())));
            if (implicit.isPresent() && bindingValue(implicit.get()) instanceof Value.Dens d) {
                prior = d;
            } else if (implicit.isEmpty()) {
                Span at = sample != null ? sample.span() : end;
                List<String> several = diffusionBindings();
                String hint = several.size() > 1
                        ? "Several diffusion priors are bound (" + String.join(", ", several) + "): say which with "
                                + latentName + " ~ " + several.get(0) + "; or compose them."
                        : "Declare one: " + latentName + " ~ diffusion(\"mnist\"); or compose prior * classifier^γ;";
                report(Diagnostic.error(Code.E0215, at, "'" + latentName + "' has no prior.", hint));
            }
        }
        if (composed != null && latentPrior != null && !contains(composed.density(), latentPrior.density())) {
            report(Diagnostic.error(Code.E0214, compose.span(),
                    "the prior is given twice: by '" + latentName + " ~ ...' at line " + latentDecl.span().startLine()
                            + " and by this compose, which does not include it.",
                    "Keep one of them, or include the declared prior in the composition."));
        }
        return prior;
    }

    private static boolean contains(Density tree, Density term) {
        if (tree == term) return true;
        if (tree instanceof Density.Product p) return p.terms().stream().anyMatch(t -> contains(t, term));
        if (tree instanceof Density.Power p) return contains(p.base(), term);
        if (tree instanceof Density.Mixture m) return m.components().stream().anyMatch(c -> contains(c, term));
        return tree.equals(term);
    }

    // ---- expressions ------------------------------------------------------------------------

    @Override
    public Value eval(Expr e) {
        // Evaluating a shared sub-expression twice would report its errors twice; function bodies
        // are re-evaluated per call because their parameters differ.
        if (frames.isEmpty() && values.containsKey(e)) return values.get(e);
        if (budget.exhausted()) return new Value.Error();
        String over = budget.evaluate();
        if (over != null) {
            report(Diagnostic.error(Code.E0117, expanding != null ? expanding.span() : e.span(), over,
                    "Write the repeated part once and bind it to a name, or call functions fewer times."));
            return new Value.Error();
        }
        Value v;
        if (e instanceof Expr.Num n) v = new Value.Num(n.value());
        else if (e instanceof Expr.Str s) v = new Value.Str(s.value());
        else if (e instanceof Expr.Vector vec) v = Literals.vector(vec, this, budget);
        else if (e instanceof Expr.Neg n) v = arithmetic.negate(eval(n.operand()), n.span());
        else if (e instanceof Expr.Binary b) v = arithmetic.binary(b.op(), eval(b.left()), eval(b.right()), b);
        else if (e instanceof Expr.Var v2) v = variable(v2);
        else v = call((Expr.Call) e);
        if (frames.isEmpty()) values.put(e, v);
        return v;
    }

    private Value variable(Expr.Var v) {
        Optional<Ref> ref = resolution.of(v);
        if (ref.isEmpty()) return new Value.Error();
        Ref r = ref.get();
        if (r instanceof Ref.ToBinding b) return bindingValue(b.binding());
        if (r instanceof Ref.ToFunction f) return new Value.Func(f.function());
        if (r instanceof Ref.ToParam p) return frames.isEmpty() ? new Value.Error() : frames.peek().get(p.index());
        if (r instanceof Ref.ToLatent) return latentValue(v.span());
        if (r instanceof Ref.ToBuiltin b) {
            report(Diagnostic.error(Code.E0107, v.span(), "'" + v.name() + "' is a built-in function; call it with arguments.",
                    "Write " + b.builtin().signature().display(v.name()) + "."));
            return new Value.Error();
        }
        return new Value.Option(((Ref.ToOption) r).word());
    }

    private Value call(Expr.Call c) {
        Optional<Ref> ref = resolution.of(c);
        if (ref.isEmpty()) {
            c.args().forEach(a -> eval(a.value()));
            return new Value.Error();
        }
        Ref r = ref.get();
        if (r instanceof Ref.ToFunction f) return userCall(f.function(), c);
        if (r instanceof Ref.ToBuiltin b) return builtinCall(b.builtin(), c);
        if (r instanceof Ref.ToOption) return new Value.Option(c);
        if (r instanceof Ref.ToCalledBinding b) return Operators.call(b, bindingValue(b.binding()), c, this);
        return new Value.Error();
    }

    private Value builtinCall(Builtin b, Expr.Call c) {
        Args args = ArgBinder.bind(b.name(), c, b.signature(), this);
        Value v = b.apply(c, args);
        return args.failed() && !(v instanceof Value.Error) ? new Value.Error() : v;
    }

    private Value userCall(Stmt.FunctionDef f, Expr.Call c) {
        List<Ident> params = f.params();
        if (c.args().size() != params.size()) {
            report(Diagnostic.error(Code.E0104, c.span(),
                    f.name().name() + "(...) takes " + params.size() + " argument" + (params.size() == 1 ? "" : "s") + " but is given " + c.args().size() + ".",
                    "It is defined at line " + f.span().startLine() + " as " + f.name().name() + "(" + String.join(", ", params.stream().map(Ident::name).toList()) + ")."));
            return new Value.Error();
        }
        List<Value> actual = new ArrayList<>();
        for (Arg a : c.args()) {
            if (a.name().isPresent()) {
                report(Diagnostic.error(Code.E0105, a.name().get().span(), "user functions take positional arguments only.",
                        "Write " + f.name().name() + "(" + String.join(", ", params.stream().map(Ident::name).toList()) + ")."));
                return new Value.Error();
            }
            actual.add(eval(a.value()));
        }
        if (actual.stream().anyMatch(v -> v instanceof Value.Error)) return new Value.Error();
        if (frames.size() >= MAX_CALL_DEPTH) {
            report(Diagnostic.error(Code.E0111, c.span(), "functions call each other more than " + MAX_CALL_DEPTH + " levels deep."));
            return new Value.Error();
        }
        boolean outermost = frames.isEmpty();
        if (outermost) expanding = c;
        frames.push(actual);
        try {
            return eval(f.body());
        } finally {
            frames.pop();
            if (outermost) expanding = null;
        }
    }

    private Value bindingValue(Stmt.Binding b) {
        Value known = memo.get(b);
        if (known != null) return known;
        Value override = overrides.get(b.name().name());
        Value v = eval(b.value());
        declared.put(b, named(v, b.name().name()));
        if (override != null) v = replaced(b, v, override);
        v = named(v, b.name().name());
        memo.put(b, v);
        return v;
    }

    /** An override ({@code --set}, or data bound from Java) must keep the binding's kind (and shape, for data). */
    private Value replaced(Stmt.Binding b, Value original, Value override) {
        if (original instanceof Value.Error) return original;
        String name = b.name().name();
        if (override instanceof Value.Num && !(original instanceof Value.Num)) {
            report(Diagnostic.error(Code.E0307, b.name().span(), "'" + name + "' is " + original.describe() + "; --set only replaces numbers."));
            return new Value.Error();
        }
        if (override instanceof Value.Tensor t && original instanceof Value.Tensor o && o.shape() != null && t.shape() != null
                && !o.shape().equals(t.shape())) {
            report(Diagnostic.error(Code.E0302, b.name().span(), "data bound to '" + name + "' has shape " + t.shape()
                    + " but the program's '" + name + "' has shape " + o.shape() + "."));
            return new Value.Error();
        }
        return override;
    }

    /** Overrides naming no binding of the program: reported so that a typo in --set is not silently ignored. */
    private void checkOverridesExist() {
        List<String> names = new ArrayList<>();
        for (Stmt s : program.statements()) if (s instanceof Stmt.Binding b) names.add(b.name().name());
        for (String o : overrides.keySet()) {
            if (!names.contains(o)) {
                report(dfl.diag.Suggest.closest(o, names)
                        .map(g -> Diagnostic.error(Code.E0307, Span.NONE, "the program binds no '" + o + "' to replace.", "Did you mean '" + g + "'?"))
                        .orElseGet(() -> Diagnostic.error(Code.E0307, Span.NONE, "the program binds no '" + o + "' to replace.",
                                "Bindings: " + String.join(", ", names) + ".")));
            }
        }
    }

    /** A diffusion prior or factor bound to a name is reported under that name ('ring', 'clf'). */
    private static Value named(Value v, String name) {
        if (!(v instanceof Value.Dens d)) return v;
        if (d.density() instanceof Density.Diffusion p) {
            return new Value.Dens(new Density.Diffusion(name, p.model(), p.schedule(), p.span()), d.shape());
        }
        if (d.density() instanceof Density.Factor f) return new Value.Dens(new Density.Factor(name, f.factor(), f.span()), d.shape());
        return v;
    }

    private Value latentValue(Span use) {
        if (latentValue != null) return latentValue;
        if (computingLatent) {
            report(Diagnostic.error(Code.E0107, use, "the prior cannot depend on the latent '" + latentName + "' itself."));
            return new Value.Error();
        }
        computingLatent = true;
        try {
            Expr priorExpr = priorExpression();
            if (priorExpr == null) {
                latentValue = new Value.Error();
                return latentValue;
            }
            Value prior = eval(priorExpr);
            latentValue = prior instanceof Value.Dens d
                    ? new Value.Tensor(d.shape(), new TensorExpr.Latent(d.shape()), true)
                    : new Value.Error();
            return latentValue;
        } finally {
            computingLatent = false;
        }
    }

    /**
     * The expression giving the latent's prior: the compose target, else the {@code x ~ prior}
     * declaration, else the one binding to {@code diffusion(...)} (DESIGN: {@code x ~ prior;} is optional
     * when the target has one diffusion prior).
     */
    private Expr priorExpression() {
        for (Stmt s : program.statements()) if (s instanceof Stmt.Compose c) return c.target();
        for (Stmt s : program.statements()) if (s instanceof Stmt.Latent l) return l.prior();
        return implicitPrior().map(Stmt.Binding::value).orElse(null);
    }

    /** When there is neither compose nor {@code x ~}: the single binding whose value is a {@code diffusion(...)} call. */
    private Optional<Stmt.Binding> implicitPrior() {
        List<Stmt.Binding> candidates = new ArrayList<>();
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b && b.value() instanceof Expr.Call c
                    && resolution.of(c).filter(r -> r instanceof Ref.ToBuiltin tb && tb.builtin().name().equals("diffusion")).isPresent()) {
                candidates.add(b);
            }
        }
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    /** All bindings to {@code diffusion(...)}, for the message when no prior can be inferred. */
    private List<String> diffusionBindings() {
        List<String> out = new ArrayList<>();
        for (Stmt s : program.statements()) {
            if (s instanceof Stmt.Binding b && bindingValue(b) instanceof Value.Dens d && d.density() instanceof Density.Diffusion) {
                out.add(b.name().name());
            }
        }
        return out;
    }
}
