package dfl.stdlib.runtime;

import static dfl.stdlib.runtime.UserModels.PRIOR;
import static dfl.stdlib.runtime.UserModels.grid;
import static dfl.stdlib.runtime.UserModels.run;
import static dfl.stdlib.runtime.UserModels.torchscript;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.api.Dfl;
import dfl.api.DflRunException;
import dfl.api.Result;
import dfl.diag.Code;
import dfl.runtime.exact.PlanReference;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * User factors, classifiers, operators and conditional networks in .dfl programs, run end to end against exact answers.
 * The prior is the fixtures' 2-component Gaussian mixture, so every target has an exact answer: a closed form, or 2-D
 * quadrature ({@link UserModels#grid}). A single run's mean must lie within 4 seed-to-seed standard deviations of the
 * exact one; those deviations were measured over seeds 1–8 with the program and settings of each test (the numbers in
 * the comments), and each negative control is a sampler that misses by more than that.
 */
class UserModelRunTest {

    private static final String FACTOR = "f = factor(" + torchscript("gauss_loglik.pt", "shape = [2]") + ");\n";
    private static final String CLASSIFIER = "c = classifier(" + torchscript("gmm_logits.pt", "shape = [2], classes = 2") + ", label = 0";
    private static final String NOISY = "c = classifier(" + torchscript("gmm_noisy_logits.pt", "shape = [2], classes = 2")
            + ", label = 0, noise_conditioned = true);\n";
    private static final String ANNEALED = "sample x with annealed(particles = 500, levels = 50, steps_per_level = 4);\n";

    /** Whether {@code r}'s mean is within 4 of the given standard deviations of {@code exact}; null if so, else how far off. */
    private static String off(Result r, double[] exact, double sd0, double sd1) {
        double[] m = r.mean();
        double[] sd = {sd0, sd1};
        for (int i = 0; i < 2; i++) {
            if (Math.abs(m[i] - exact[i]) > 4 * sd[i]) {
                return "mean[" + i + "] " + m[i] + " vs exact " + exact[i] + " ± " + 4 * sd[i] + " (" + r.summary() + ")";
            }
        }
        return null;
    }

    private static void assertNear(Result r, double[] exact, double sd0, double sd1) {
        String off = off(r, exact, sd0, sd1);
        assertTrue(off == null, off);
    }

    private static void assertOff(Result r, double[] exact, double sd0, double sd1) {
        assertTrue(off(r, exact, sd0, sd1) != null, "the check must reject this sampler: " + r.summary());
    }

    /** log N(0.3; x0 + 0.5 x1, 0.3²), the factor of gauss_loglik.pt, times γ. */
    private static ToDoubleFunction<double[]> posterior(double gamma) {
        ToDoubleFunction<double[]> prior = UserModels.prior();
        return x -> {
            double r = 0.3 - (x[0] + 0.5 * x[1]);
            return prior.applyAsDouble(x) + gamma * (-0.5 * r * r / 0.09 - 0.5 * Math.log(2 * Math.PI * 0.09));
        };
    }

    /**
     * factor(torchscript(...)) in the target: annealed MCMC uses it exactly (exact mean (0.670, −0.547), log Z −0.948;
     * measured sd 0.020, 0.042 and 0.020 for log Ẑ); TDS twists it at x̂0 (f^0.25: exact (0.694, −0.429), sd 0.053,
     * 0.036); reverse guidance is biased (0.562, −0.465 with sd 0.007, 0.015: the negative control).
     */
    @Test
    void userFactorEntersTheTargetLikeTheShippedClassifier() {
        UserModels.Exact exact = grid(posterior(1.0), -6, 6, 801);
        Result annealed = run(PRIOR + FACTOR + "compose prior * f;\n" + ANNEALED, 1);
        assertNear(annealed, exact.mean(), 0.020, 0.042);
        assertEquals(exact.logZ(), annealed.logEvidence().getAsDouble(), 4 * 0.020, "log Z");

        UserModels.Exact soft = grid(posterior(0.25), -6, 6, 801);
        assertNear(run(PRIOR + FACTOR + "compose prior * f^0.25;\nsample x with tds(particles = 1000, steps = 100);\n", 1),
                soft.mean(), 0.053, 0.036);

        assertOff(run(PRIOR + FACTOR + "compose prior * f;\nsample x with reverse(particles = 2000);\n", 1), exact.mean(), 0.020, 0.042);
    }

    /**
     * prior * classifier(label = 0) is component 0 exactly (mean (−1.5, 0.5)). Annealed MCMC with the clean classifier
     * (sd 0.042, 0.024), classifier guidance with the noise-conditioned one (reverse, γ = 1: exact, sd 0.020, 0.012) and
     * TDS twisted by it (sd 0.033, 0.016) find it; guidance by the clean classifier at x̂0 does not (−1.687, 0.465: the
     * negative control). DPS follows the classifier's label.
     */
    @Test
    void userClassifiersCleanAndNoiseConditioned() {
        double[] exact = TorchScriptFixtures.GMM.means()[0];
        String clf = CLASSIFIER + ");\ncompose prior * c;\n";
        assertNear(run(PRIOR + clf + ANNEALED, 1), exact, 0.042, 0.024);
        String noisy = NOISY + "compose prior * c;\n";
        assertNear(run(PRIOR + noisy + "sample x with reverse(particles = 2000);\n", 1), exact, 0.020, 0.012);
        assertNear(run(PRIOR + noisy + "sample x with tds(particles = 1000, steps = 100);\n", 1), exact, 0.033, 0.016);
        assertOff(run(PRIOR + clf + "sample x with reverse(particles = 2000);\n", 1), exact, 0.020, 0.012);

        // DPS is approximate by design (no exact answer to meet): it steps along γ∇log f_t(x_t), so from the prior's mean
        // (0.25, −0.2) it moves to component 0 for label 0 (measured −1.786) and to component 1 for label 1 (1.051)
        String dps = "compose prior * c;\nsample x with dps(particles = 500, scale = 0.1);\n";
        assertTrue(run(PRIOR + NOISY + dps, 1).mean()[0] < -1.0);
        assertTrue(run(PRIOR + NOISY.replace("label = 0", "label = 1") + dps, 1).mean()[0] > 0.7);
    }

    /** temperature = 4 flattens the classifier: exact mean (−1.328, 0.447) by quadrature; TDS sd 0.034, 0.023. */
    @Test
    void classifierTemperatureDividesTheLogits() {
        ToDoubleFunction<double[]> prior = UserModels.prior();
        java.util.function.Function<double[], double[]> logits = TorchScriptFixtures.logits(1.0);
        UserModels.Exact exact = grid(x -> prior.applyAsDouble(x) + UserModels.logSoftmax(logits.apply(x), 0, 4.0), -6, 6, 801);
        Result r = run(PRIOR + CLASSIFIER + ", temperature = 4);\ncompose prior * c;\nsample x with tds(particles = 2000, steps = 100);\n", 1);
        assertNear(r, exact.mean(), 0.034, 0.023);
        // and the same check tells τ = 4 from τ = 1 (exact mean −1.5, 0.5)
        assertOff(r, TorchScriptFixtures.GMM.means()[0], 0.034, 0.023);
    }

    /** A noise-conditioned factor returning log p_t(1 | x_t) samples exactly what the classifier with label 1 does. */
    @Test
    void noiseConditionedFactorEqualsTheNoiseConditionedClassifier() {
        String sample = "compose prior * c;\nsample x with tds(particles = 256, steps = 30);\n";
        Result factor = run(PRIOR + "c = factor(" + torchscript("gmm_noisy_logp1.pt", "shape = [2]") + ", noise_conditioned = true);\n" + sample, 4);
        Result clf = run(PRIOR + NOISY.replace("label = 0", "label = 1") + sample, 4);
        assertEquals(clf.mean()[0], factor.mean()[0], 1e-4);
        assertEquals(clf.mean()[1], factor.mean()[1], 1e-4);
        assertEquals(clf.logEvidence().getAsDouble(), factor.logEvidence().getAsDouble(), 1e-4);
    }

    /**
     * observe y ~ Normal(op(x), σ) with op = torchscript("affine_op.pt") (x0 + 0.5 x1) samples what the built-in A @ x
     * does with the same seed, and the exact linear-Gaussian posterior (tolerance of TorchScriptRunTest's TDS check). Both
     * name twist_var = moment: left to the compiler, the TorchScript operator (which it cannot see is linear) would get the
     * moment-matched twist and A @ x the Tweedie one.
     */
    @Test
    void userOperatorEqualsTheBuiltInOperator() {
        String rest = "observe [0.3] ~ Normal(G(x), 0.3);\nsample x with tds(particles = 256, steps = 20, twist_var = moment);\n";
        Result user = run(PRIOR + "op = " + torchscript("affine_op.pt", "shape = [2], out_shape = [1]") + ";\nG(x) = op(x);\n" + rest, 3);
        String builtIn = PRIOR + "A = [[1.0, 0.5]];\nG(x) = A @ x;\n" + rest;
        Result twin = run(builtIn, 3);
        assertEquals(twin.mean()[0], user.mean()[0], 1e-3, "same seed, same sampler");
        assertEquals(twin.mean()[1], user.mean()[1], 1e-3, "same seed, same sampler");
        double[] exact = PlanReference.of(Dfl.compile(builtIn, "exact.dfl").plan(), StdlibProvider.builder().build()).posterior().mean();
        assertEquals(exact[0], user.mean()[0], 4 * 0.08);
        assertEquals(exact[1], user.mean()[1], 4 * 0.13);
    }

    /** The conditional network given label 1 and null is component 1 and the mixture; in the CFG composition with w = 3: */
    private static final String CFG_NET = "net = " + torchscript("gmm_cond_eps.pt", "shape = [2], classes = 2") + ";\n"
            + "cond = diffusion(net, " + TorchScriptFixtures.SCHEDULE_ARGS + ", cond = 1);\n"
            + "uncond = diffusion(net, " + TorchScriptFixtures.SCHEDULE_ARGS + ", cond = null);\ncompose cond^3 * uncond^-2;\n";

    /** The same composition over the exact mixtures. */
    private static final String CFG_GMM = "cond = diffusion(gmm(means = [[1.0, -0.5]], covs = [[[0.2, -0.05], [-0.05, 0.4]]]), "
            + TorchScriptFixtures.SCHEDULE_ARGS + ");\nuncond = diffusion(" + TorchScriptFixtures.GMM_DFL + ", " + TorchScriptFixtures.SCHEDULE_ARGS
            + ");\ncompose cond^3 * uncond^-2;\n";

    /**
     * compose cond^w * uncond^(1−w) with w = 3 against p(x | 1)^3 p(x)^−2 at level 1 (ᾱ of training step 0) by quadrature:
     * exact mean (1.008, −0.511). Annealed MCMC on the conditional network (K = 400, 30 levels × 4 HMC steps, line-integral
     * MH, SMC) finds it (sd 0.025, 0.046); cfg_reverse, the guided reverse process, misses it (1.113, −0.612 with sd 0.009,
     * 0.012) and gives the same samples as the exact mixtures with the same seed, so the conditions reach the network as
     * documented.
     */
    @Test
    void classifierFreeGuidanceAsACompositionIsSampledExactlyByAnnealedMcmcOnly() {
        double ab1 = TorchScriptFixtures.schedule().alphaBar(0);
        ToDoubleFunction<double[]> one = TorchScriptFixtures.component(1).noised(ab1).logDensityFunction();
        ToDoubleFunction<double[]> all = TorchScriptFixtures.GMM.noised(ab1).logDensityFunction();
        UserModels.Exact exact = grid(x -> 3 * one.applyAsDouble(x) - 2 * all.applyAsDouble(x), -4, 5, 801);
        String annealed = "sample x with annealed(particles = 400, levels = 30, steps_per_level = 4);\n";
        assertNear(run(CFG_NET + annealed, 1), exact.mean(), 0.025, 0.046);

        String reverse = "sample x with cfg_reverse(particles = 2000);\n";
        Result cfg = run(CFG_NET + reverse, 1);
        Result twin = run(CFG_GMM + reverse, 1);
        assertEquals(twin.mean()[0], cfg.mean()[0], 1e-3, "same seed, exact mixtures");
        assertEquals(twin.mean()[1], cfg.mean()[1], 1e-3, "same seed, exact mixtures");
        assertEquals("cfg_reverse", cfg.sampler());
        assertOff(cfg, exact.mean(), 0.025, 0.046);
        assertTrue(Dfl.compile(CFG_NET + reverse, "cfg.dfl").planText().contains("NOT exact for the composed density"));
    }

    /** gauss_vec_eps.pt given c is N(c, VEC_COV): the same samples as that Gaussian written as gmm(...), same seed. */
    @Test
    void vectorConditionedNetworkEqualsItsExactTwin() {
        String sample = "sample x with reverse(particles = 500, steps = 50);\n";
        Result net = run("prior = diffusion(" + torchscript("gauss_vec_eps.pt", "shape = [2]") + ", " + TorchScriptFixtures.SCHEDULE_ARGS
                + ", cond = [1.0, -0.5]);\n" + sample, 2);
        Result twin = run("prior = diffusion(gmm(means = [[1.0, -0.5]], covs = [[[0.3, 0.1], [0.1, 0.2]]]), " + TorchScriptFixtures.SCHEDULE_ARGS
                + ");\n" + sample, 2);
        assertEquals(twin.mean()[0], net.mean()[0], 1e-3);
        assertEquals(twin.mean()[1], net.mean()[1], 1e-3);
    }

    /** Bad files are diagnostics placed at the term of the program that uses them, never stack traces. */
    @Test
    void badFilesGiveLocatedDiagnostics() {
        String sample = "compose prior * f;\nsample x with tds(particles = 8, steps = 3);\n";
        DflRunException shape = assertThrows(DflRunException.class,
                () -> run(PRIOR + "f = factor(" + torchscript("factor_wrong_shape.pt", "shape = [2]") + ");\n" + sample, 1));
        assertEquals(Code.E0305, shape.code());
        assertEquals(2, shape.diagnostic().span().startLine(), shape.rendered());
        assertEquals(5, shape.diagnostic().span().startColumn(), shape.rendered());
        assertTrue(shape.rendered().contains("line 2, column 5") && shape.rendered().contains("^^^") && shape.rendered().contains("one number per sample"),
                shape.rendered());

        DflRunException nan = assertThrows(DflRunException.class,
                () -> run(PRIOR + "f = factor(" + torchscript("factor_nan.pt", "shape = [2]") + ");\n" + sample, 1));
        assertEquals(Code.E0303, nan.code());
        assertEquals(2, nan.diagnostic().span().startLine(), nan.rendered());

        DflRunException arity = assertThrows(DflRunException.class, () -> run(CFG_NET.replace("gmm_cond_eps.pt", "gmm_eps.pt")
                + "sample x with cfg_reverse(particles = 8, steps = 3);\n", 1));
        assertEquals(Code.E0305, arity.code());
        assertEquals(2, arity.diagnostic().span().startLine(), arity.rendered());
        assertTrue(arity.rendered().contains("c: int64 [B]"), arity.rendered());

        DflRunException op = assertThrows(DflRunException.class, () -> run(PRIOR + "op = " + torchscript("nonlinear_op.pt", "")
                + ";\nobserve [0.1, 0.2] ~ Normal(op(x), 0.3);\nsample x with tds(particles = 8, steps = 3);\n", 1));
        assertEquals(Code.E0305, op.code());
        assertEquals(3, op.diagnostic().span().startLine(), op.rendered());
        assertTrue(op.rendered().contains("out_shape"), op.rendered());

        DflRunException missing = assertThrows(DflRunException.class,
                () -> run(PRIOR + "f = factor(torchscript(\"no/such/f.pt\", shape = [2]));\n" + sample, 1));
        assertEquals(Code.E0301, missing.code());
        assertEquals(2, missing.diagnostic().span().startLine(), missing.rendered());
    }
}
