package dfl.runtime.sampler;

import static org.junit.jupiter.api.Assertions.*;

import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.TestPlans;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.source.Span;
import java.util.List;
import org.junit.jupiter.api.Test;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;

/**
 * The replacement variant (SMCDiff) against the exact conditional of {@link ReplacementCase}. Tolerances are standard
 * errors estimated from independent runs (fixed seeds); the same check fails for the plain replacement method (the
 * same particles with the weights ignored and no resampling).
 *
 * <p>Why many runs of few particles: every run draws one forward-noised trajectory of the observation, and with the
 * discretised reverse chain the run's answer depends on that trajectory (at T = 50 a run puts most of its weight on one
 * mode or the other), so the run-to-run spread barely shrinks with K and the seeds are where the precision comes from.
 * ReplacementBench measures the spread and the bias at larger K and T.
 */
class ReplacementConvergenceTest {

    private static RunResult run(SamplerPlan plan, SamplerSpec spec, long seed) {
        return Sampling.run(plan.withSampler(spec, "test"), RunOptions.seed(seed), RuntimeProvider.NONE, StepListener.NONE);
    }

    @Test
    void weightedReplacementMatchesTheExactConditionalAndTheNaiveMethodDoesNot() {
        SamplerPlan plan = ReplacementCase.plan(ReplacementCase.replacement(16, 50, 0.5));
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        GaussianMixture post = exact.posterior();
        double[] truth = ReplacementCase.truth(post);
        int steps = 50, seeds = 24, k = 64;
        double[][] smc = new double[seeds][], naive = new double[seeds][];
        for (int r = 0; r < seeds; r++) {
            smc[r] = ReplacementCase.statistics(run(plan, ReplacementCase.replacement(k, steps, 0.5), 1000 + r), false, post);
            naive[r] = ReplacementCase.statistics(run(plan, ReplacementCase.replacement(k, steps, 0.0), 1000 + r), true, post);
        }
        double z2 = ReplacementCase.z2(smc, truth), z2Naive = ReplacementCase.z2(naive, truth);
        assertTrue(z2 < 9, "E[x_U | y] and the mode weights off by " + Math.sqrt(z2) + " standard errors");
        assertTrue(z2Naive > 9, "the plain replacement method should be detectably biased, z² = " + z2Naive);
    }

    @Test
    void observedCoordinatesEqualTheDataAndIncrementsSumToTheEvidence() {
        SamplerPlan plan = ReplacementCase.plan(ReplacementCase.replacement(32, 20, 0.5));
        RunResult r = run(plan, plan.sampler(), 5);
        double[] y = ((TensorExpr.Const) plan.likelihoods().get(0).data()).values().stream().mapToDouble(Double::doubleValue).toArray();
        for (float[] s : r.samples()) {
            for (int j = 0; j < ReplacementCase.OBSERVED; j++) assertEquals(y[j], s[j], 1e-6, "observed coordinate " + j);
        }
        assertEquals(20, r.networkCalls(), "one batched model call per step");
        double sum = 0;
        for (StepStats s : r.stats()) sum += s.logEvidenceIncrement();
        assertEquals(r.logEvidence(), sum, 1e-9 * (1 + Math.abs(sum)));
        assertTrue(Double.isFinite(r.logEvidence()));
        RunResult again = run(plan, plan.sampler(), 5);
        assertArrayEquals(r.samples(), again.samples(), "same seed, same samples");
        assertEquals(Double.doubleToLongBits(r.logEvidence()), Double.doubleToLongBits(again.logEvidence()));
    }

    @Test
    void aLikelihoodThatIsNotAMaskIsRejectedWithAReason() {
        // A @ x: linear, but it does not fix coordinates one to one
        SamplerPlan linear = TestPlans.posterior2d(ReplacementCase.replacement(8, 10, 0.5));
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> run(linear, linear.sampler(), 1));
        assertEquals(Code.E0113, e.code());
        assertTrue(e.getMessage().contains("M * x"), e.getMessage());
        // a mask with a value other than 0 and 1
        GaussianMixture g = TestPlans.posterior2dPrior();
        TensorExpr half = new TensorExpr.Binary(TensorExpr.Op.MUL, TestPlans.vector(new double[] {0.5, 0}),
                new TensorExpr.Latent(Shape.of(2)), Shape.of(2));
        SamplerPlan scaled = TestPlans.plan(g, List.of(new SamplerPlan.Likelihood(TestPlans.vector(new double[] {1, 0}), half, 0.1,
                Span.NONE)), ReplacementCase.replacement(8, 10, 0.5));
        e = assertThrows(DflRuntimeException.class, () -> run(scaled, scaled.sampler(), 1));
        assertTrue(e.getMessage().contains("zeros and ones"), e.getMessage());
    }
}
