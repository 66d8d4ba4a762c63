package dfl.stdlib.builtins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.LikelihoodFamily;
import dfl.plan.PlanPrinter;
import dfl.plan.Primitive;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import org.junit.jupiter.api.Test;

/**
 * The forward operators and observation families as the compiler checks them with the standard library: result
 * shapes, constant folding, and a located diagnostic for each misuse.
 */
class OperatorsAndFamiliesCompileTest {

    /** A 2-D prior, an image prior and a [4, 6] image latent to write G against. */
    private static final String PRIOR2 = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n";
    private static final String IMAGE = "prior = diffusion(gmm(means = [[" + "0, ".repeat(23) + "0]], std = 1));\n";

    private static CompileResult compile(String text) {
        return Compiler.builder().setBuiltins(Stdlib.registry()).build().compile(new SourceFile("t.dfl", text));
    }

    private static SamplerPlan plan(String text) {
        CompileResult r = compile(text);
        assertFalse(r.hasErrors(), () -> r.diagnostics().toString());
        return r.plan().orElseThrow();
    }

    private static Diagnostic error(String text, Code code, String message) {
        CompileResult r = compile(text);
        Diagnostic d = r.diagnostics().stream().filter(x -> x.code() == code).findFirst()
                .orElseThrow(() -> new AssertionError("expected " + code + ", got " + r.diagnostics()));
        assertTrue(d.message().contains(message), d.message());
        assertTrue(d.span().isKnown(), "located: " + d);
        return d;
    }

    /** The shape of G's value in {@code observe y ~ Normal(G, 1)} with y of that shape, for a latent of [24] reshaped as [4, 6]. */
    private static Shape shapeOf(String g, String yShape) {
        String data = yShape.equals("[]") ? "0" : "load(\"y.npy\", shape = " + yShape + ")";
        SamplerPlan p = plan(IMAGE + "X = reshape(x, shape = [4, 6]);\nobserve " + data + " ~ Normal(" + g + ", 1);\nsample x;\n");
        return p.likelihoods().get(0).mean().shape();
    }

    @Test
    void operatorsHaveTheShapesPyTorchWouldGive() {
        assertEquals(Shape.of(4, 6), shapeOf("tanh(X) + sigmoid(X) * softplus(X) - abs(X)", "[4, 6]"));
        assertEquals(Shape.of(4, 6), shapeOf("sqrt(exp(X)) + log(exp(X))", "[4, 6]"));
        assertEquals(Shape.of(6), shapeOf("sum(X, axis = 0)", "[6]"));
        assertEquals(Shape.of(4), shapeOf("mean(X, axis = -1)", "[4]"));
        assertEquals(Shape.SCALAR, shapeOf("sum(X)", "[]"));
        assertEquals(Shape.of(3, 8), shapeOf("reshape(X, shape = [3, -1])", "[3, 8]"));
        assertEquals(Shape.of(3, 4), shapeOf("conv2d(X, [[1, 0, -1], [2, 0, -2]])", "[3, 4]"));
        assertEquals(Shape.of(4, 6), shapeOf("conv2d(X, [[0, 1, 0], [1, 1, 1], [0, 1, 0]], padding = \"same\")", "[4, 6]"));
        assertEquals(Shape.of(5, 8), shapeOf("conv2d(X, [[1, 0, -1], [2, 0, -2]], padding = \"full\")", "[5, 8]"));
        assertEquals(Shape.of(4, 6), shapeOf("abs_fft2(X)", "[4, 6]"));
    }

    @Test
    void numbersAndConstantsFold() {
        CompileResult r = compile(PRIOR2 + "σ = sqrt(0.09);\nc = exp([0, 1]);\nobserve [1.2] ~ Normal([[1, 0.5]] @ x, σ);\nsample x;\n");
        assertFalse(r.hasErrors(), r.diagnostics().toString());
        assertEquals(new Value.Num(0.3), r.analysis().binding("σ").get().value());
        assertTrue(r.analysis().binding("c").get().value() instanceof Value.Tensor t && t.expr() instanceof TensorExpr.Const k
                && Math.abs(k.values().get(1) - Math.E) < 1e-15);
    }

    @Test
    void theLatentFlowsThroughPrimitivesInThePlan() {
        SamplerPlan p = plan(PRIOR2 + "observe [3, 0] ~ Poisson(exp(x + 1));\nsample x;\n");
        SamplerPlan.Likelihood l = p.likelihoods().get(0);
        assertEquals(new LikelihoodFamily.Poisson(), l.family());
        assertTrue(l.mean() instanceof TensorExpr.Apply a && a.primitive().equals(new Primitive.Elementwise(Primitive.Function.EXP)) && l.mean().usesLatent());
        String printed = PlanPrinter.print(p);
        assertTrue(printed.contains("likelihood (line 2): Poisson(rate)") && printed.contains("rate exp((x + 1)) [2]")
                && printed.contains("Poisson twist: negative binomial"), printed);
    }

    @Test
    void everyFamilyLowersWithItsConstants() {
        assertEquals(new LikelihoodFamily.Laplace(0.2), plan(PRIOR2 + "observe [1, 2] ~ Laplace(x, 0.2);\nsample x;\n").likelihoods().get(0).family());
        assertEquals(new LikelihoodFamily.StudentT(0.2, 3), plan(PRIOR2 + "observe [1, 2] ~ StudentT(x, sigma = 0.2, nu = 3);\nsample x;\n")
                .likelihoods().get(0).family());
        assertEquals(new LikelihoodFamily.Bernoulli(), plan(PRIOR2 + "observe [1, 0] ~ Bernoulli(4 * x);\nsample x;\n").likelihoods().get(0).family());
    }

    @Test
    void misusedOperatorsAreLocated() {
        error(IMAGE + "observe load(\"y.npy\") ~ Normal(reshape(x, shape = [5, 5]), 1);\nsample x;\n", Code.E0108,
                "a tensor of shape [24] has 24 elements and cannot be reshaped to [5, 5]");
        error(IMAGE + "observe load(\"y.npy\") ~ Normal(sum(x, axis = 1), 1);\nsample x;\n", Code.E0113, "axis 1 is out of range for a tensor of shape [24]");
        error(IMAGE + "observe load(\"y.npy\") ~ Normal(sum(x, axis = [0, -1]), 1);\nsample x;\n", Code.E0113, "axis -1 is given twice");
        error(IMAGE + "X = reshape(x, shape = [4, 6]);\nobserve load(\"y.npy\") ~ Normal(conv2d(X, X), 1);\nsample x;\n", Code.E0113,
                "the kernel depends on the latent");
        error(IMAGE + "X = reshape(x, shape = [4, 6]);\nobserve load(\"y.npy\") ~ Normal(conv2d(X, [[1, 1]], padding = \"same\"), 1);\nsample x;\n",
                Code.E0113, "padding \"same\" needs odd kernel sizes");
        Diagnostic typo = error(IMAGE + "X = reshape(x, shape = [4, 6]);\nobserve load(\"y.npy\") ~ Normal(conv2d(X, [[1]], padding = \"sam\"), 1);\nsample x;\n",
                Code.E0113, "'sam' is not a padding");
        assertTrue(typo.hints().contains("Did you mean \"same\"?"), typo.hints().toString());
        error(IMAGE + "X = reshape(x, shape = [4, 6]);\nK = [" + "[1, 1, 1, 1, 1], ".repeat(4) + "[1, 1, 1, 1, 1]];\nobserve load(\"y.npy\") ~ Normal(conv2d(X, K), 1);\nsample x;\n",
                Code.E0108, "a 5×5 kernel does not fit in the 4×6 image without padding");
        error(IMAGE + "observe load(\"y.npy\") ~ Normal(abs_fft2(x), 1);\nsample x;\n", Code.E0108, "'x' of abs_fft2(...) must be an image tensor with at least 2 dimensions");
        error(PRIOR2 + "σ = log(-1);\nobserve [1, 2] ~ Normal(x, σ);\nsample x;\n", Code.E0113, "log(...) of -1 is undefined: its argument must be positive");
        error(PRIOR2 + "observe [1, 2] ~ Normal(x, 1);\nz = sum(load(\"y.npy\"));\nsample x;\n", Code.E0108, "the shape of this argument is not known before its data is read");
    }

    @Test
    void dataOutsideTheSupportIsReportedAtTheData() {
        Diagnostic d = error(PRIOR2 + "observe [3, -1] ~ Poisson(exp(x));\nsample x;\n", Code.E0116,
                "the observed element [1] (-1) is negative: a Poisson observation is counts (whole numbers ≥ 0)");
        assertEquals(2, d.span().startLine());
        assertEquals(9, d.span().startColumn());
        error(PRIOR2 + "observe [2.5, 1] ~ Poisson(exp(x));\nsample x;\n", Code.E0116, "is not a whole number");
        error(PRIOR2 + "observe [[1, 0.5]] ~ Bernoulli(reshape(x, shape = [1, 2]));\nsample x;\n", Code.E0116,
                "the observed element [0, 1] (0.5) is neither 0 nor 1");
        error(PRIOR2 + "observe 3 ~ Bernoulli(sum(x));\nsample x;\n", Code.E0116, "the observed value 3 is neither 0 nor 1");
    }

    @Test
    void constantsOfFamiliesMustBePositive() {
        error(PRIOR2 + "observe [1, 2] ~ Laplace(x, 0);\nsample x;\n", Code.E0113, "'b' must be positive, got 0");
        error(PRIOR2 + "observe [1, 2] ~ StudentT(x, 0.2, -3);\nsample x;\n", Code.E0113, "'nu' must be positive, got -3");
        error(PRIOR2 + "observe [1, 2] ~ StudentT(x, -0.2, 3);\nsample x;\n", Code.E0113, "'sigma' must be positive");
    }

    @Test
    void samplersThatNeedAGaussianObservationSaySo() {
        error(PRIOR2 + "observe [3, 1] ~ Poisson(exp(x));\nsample x with tds(twist_var = second_order);\n", Code.E0113,
                "twist_var = second_order builds a Gaussian twist from the Jacobian of G, but the observation at line 2 is Poisson");
        error(PRIOR2 + "observe [3, 1] ~ Poisson(exp(x));\nsample x with tds(twist_var = moment);\n", Code.E0113,
                "twist_var = moment builds a Gaussian twist from the mean and variance of G(x0), but the observation at line 2 is Poisson");
        error(PRIOR2 + "M = [1, 0];\nobserve [3, 0] ~ Poisson(M * x);\nsample x with tds(variant = \"replacement\");\n", Code.E0113,
                "the observation at line 3 is Poisson, not Normal");
    }

    @Test
    void tdsTwistIsMomentMatchedForNonlinearNormalObservationsOnSmallLatentsUnlessTheProgramSaysOtherwise() {
        String nonlinear = "observe [1.0] ~ Normal([[1, 0]] @ (x * x), 0.1);\n";
        assertEquals(SamplerSpec.TwistVariance.Kind.MOMENT, twist(PRIOR2 + nonlinear + "sample x;\n"));
        assertEquals(SamplerSpec.TwistVariance.Kind.MOMENT, twist(PRIOR2 + nonlinear + "sample x with tds(particles = 64);\n"));
        assertTrue(PlanPrinter.print(plan(PRIOR2 + nonlinear + "sample x;\n")).contains("twist_var = moment"));
        // the program's own choice wins
        assertEquals(SamplerSpec.TwistVariance.Kind.TWEEDIE, twist(PRIOR2 + nonlinear + "sample x with tds(twist_var = tweedie);\n"));
        // linear observations keep the Tweedie twist (tds named: the compiler would pick mcgdiff)
        assertEquals(SamplerSpec.TwistVariance.Kind.TWEEDIE, twist(PRIOR2 + "observe [1.0] ~ Normal([[1, 0]] @ x, 0.1);\n"
                + "sample x with tds();\n"));
        // so do other families and latents above 6 elements
        assertEquals(SamplerSpec.TwistVariance.Kind.TWEEDIE, twist(PRIOR2 + "observe [3, 1] ~ Poisson(exp(x));\nsample x;\n"));
        assertEquals(SamplerSpec.TwistVariance.Kind.TWEEDIE, twist(IMAGE + "observe [1.0] ~ Normal([[" + "1, ".repeat(23)
                + "1]] @ (x * x), 0.1);\nsample x;\n"));
    }

    private static SamplerSpec.TwistVariance.Kind twist(String text) {
        return ((SamplerSpec.Tds) plan(text).sampler()).twistVar().kind();
    }

    @Test
    void anObservationWhoseRateIgnoresTheLatentWarnsInTheFamilysWords() {
        CompileResult r = compile(PRIOR2 + "observe [3, 1] ~ Poisson([2, 2]);\nsample x;\n");
        Diagnostic w = r.diagnostics().stream().filter(x -> x.code() == Code.W0003).findFirst().orElseThrow();
        assertTrue(w.message().startsWith("the rate of this observation does not depend on the latent"), w.message());
        assertTrue(w.hints().get(0).contains("Poisson(A @ x)"), w.hints().toString());
    }
}
