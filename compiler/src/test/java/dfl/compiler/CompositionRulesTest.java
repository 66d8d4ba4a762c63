package dfl.compiler;

import static dfl.compiler.TestPrograms.assertCompiles;
import static dfl.compiler.TestPrograms.assertError;
import static dfl.compiler.TestPrograms.compile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.plan.Density;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.TargetSpec;
import org.junit.jupiter.api.Test;

/** The composition rules: which samplers are correct for which targets, and what is rejected with which reason. */
class CompositionRulesTest {

    @Test
    void onePriorTimesPoweredFactorsFollowsTheReverseProcess() {
        SamplerPlan p = assertCompiles("prior = diffusion(\"gauss\");\nc = clf();\ncompose prior * c^2;\nsample x with tds(particles = 4);\n").plan().get();
        assertTrue(p.prior() instanceof Density.Product);
        assertTrue(p.reason().contains("1 factor as twists"), p.reason());
    }

    @Test
    void tdsOverAProductOfTwoPriorsNeedsAnnealedMcmc() {
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\ncompose p * q;\nsample x with tds();\n"), Code.E0211, "'p' and 'q'",
                "annealed(kernel = hmc(leapfrog = 3), mh = energy)");
    }

    @Test
    void aProductOfPriorsIsGivenAnnealedMcmcWithEnergyMhOrTheLineIntegralWhenScoreOnly() {
        SamplerSpec.Annealed exact = (SamplerSpec.Annealed) assertCompiles("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\ncompose p * q;\nsample x;\n")
                .plan().get().sampler();
        assertTrue(exact.mh() instanceof SamplerSpec.Mh.Energy);
        SamplerSpec.Annealed scoreOnly = (SamplerSpec.Annealed) assertCompiles("p = diffusion(\"gauss\");\nq = diffusion(\"net\");\ncompose p * q;\nsample x;\n")
                .plan().get().sampler();
        assertEquals(new SamplerSpec.Mh.LineIntegral(5, "simpson"), scoreOnly.mh());
    }

    @Test
    void energyMetropolisHastingsNeedsEveryEnergy() {
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"net\");\ncompose p * q;\nsample x with annealed(mh = energy);\n"), Code.E0213, "'q' is score-only");
    }

    @Test
    void aMixtureNeedsTheEnergyOfEveryComponent() {
        assertCompiles("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\ncompose p + q;\nsample x with annealed();\n");
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"net\");\ncompose p + q;\nsample x with annealed();\n"), Code.E0209, "'q' is a score-only model");
    }

    @Test
    void aPowerOfThePriorHasNoReverseProcess() {
        assertError(compile("p = diffusion(\"gauss\");\ncompose p^2;\nsample x with reverse();\n"), Code.E0210, "a power of the prior");
    }

    @Test
    void thePriorGivenTwiceIsAnError() {
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\nx ~ p;\ncompose q;\nsample x;\n"), Code.E0214, "the prior is given twice");
    }

    @Test
    void theReplacementVariantNeedsMaskedObservations() {
        assertError(compile(TestPrograms.TOY + "sample x with tds(variant = replacement);\n"), Code.E0113, "Normal(M * x, σ)");
        assertCompiles("prior = diffusion(\"gauss\");\nM = [1, 0];\ny = [0.5, 0];\nobserve y ~ Normal(M * x, 0.1);\nsample x with tds(variant = replacement);\n");
    }

    @Test
    void aFactorInsideAMixtureIsAnError() {
        assertCompiles("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\nc = clf();\ncompose (p + q) * c;\nsample x;\n");
        assertError(compile("p = diffusion(\"gauss\");\nc = clf();\ncompose p + p * c;\nsample x;\n"), Code.E0209, "inside a mixture");
    }

    @Test
    void annealedMcmcNeedsPriorsOnOneSchedule() {
        assertError(compile("p = diffusion(\"gauss\");\nq = diffusion(\"gauss-cosine\");\ncompose p * q;\nsample x;\n"), Code.E0211,
                "different noise schedules (linear β 1e-4 → 0.02, 1000 steps against cosine, 1000 steps)");
        assertCompiles("p = diffusion(\"gauss-cosine\");\nq = diffusion(\"gauss-cosine\");\ncompose p * q;\nsample x;\n");
    }

    @Test
    void annealedMcmcNeedsADiffusionPrior() {
        assertError(compile("c = clf();\ncompose c;\nsample x with annealed();\n"), Code.E0215, "at least one diffusion prior");
    }

    @Test
    void theTargetIsDecidedOnceInThePlan() {
        SamplerPlan one = assertCompiles("prior = diffusion(\"gauss\");\nc = clf();\ncompose prior * c^2;\nsample x;\n").plan().get();
        TargetSpec.OnePrior t = (TargetSpec.OnePrior) one.target();
        assertEquals("prior", t.prior().name());
        assertEquals(2.0, t.factors().get(0).exponent());
        SamplerPlan mix = assertCompiles("p = diffusion(\"gauss\");\nq = diffusion(\"gauss\");\nc = clf();\ncompose (p + q)^0.5 * c;\nsample x;\n")
                .plan().get();
        TargetSpec.Composed m = (TargetSpec.Composed) mix.target();
        assertEquals(2, m.priors().size());
        assertEquals(1.0, m.factors().get(0).exponent());
        assertTrue(m.tree() instanceof TargetSpec.Node.Pow pw && pw.base() instanceof TargetSpec.Node.Mix);
    }
}
