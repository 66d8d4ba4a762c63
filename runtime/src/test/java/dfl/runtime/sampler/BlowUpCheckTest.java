package dfl.runtime.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 1: a run that blows up without leaving float32 (σ = 1e-4 with the over-confident twist at 5 steps: samples
 * of 1e16, log p̂(y) of −7.7e39, exit 0 before) gets W0006 for its samples and for its evidence; a healthy run of the
 * same model gets neither.
 */
class BlowUpCheckTest {

    private static List<Diagnostic> w0006(double sigma, SamplerSpec.TwistVariance twist, int k, int steps) {
        SamplerPlan plan = TestPlans.plan(TestPlans.posterior2dPrior(),
                List.of(TestPlans.linear(TestPlans.POSTERIOR2D_A, TestPlans.POSTERIOR2D_Y, sigma)),
                new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.5, twist, false));
        RunResult r = Sampling.run(plan, RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE);
        return r.warnings().stream().filter(d -> d.code() == Code.W0006).toList();
    }

    @Test
    void aBlowUpIsReportedForTheSamplesAndTheEvidence() {
        List<Diagnostic> w = w0006(1e-4, new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.NONE, 0), 64, 5);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).message().contains("outside [-15, 15], far beyond the prior's range [-5, 5]"), w.get(0).message());
        assertTrue(w.get(1).message().contains("the evidence estimate log p̂(y) = "), w.get(1).message());
    }

    @Test
    void aHealthyRunIsNotReported() {
        assertEquals(List.of(), w0006(TestPlans.POSTERIOR2D_SIGMA, SamplerSpec.TwistVariance.TWEEDIE, 256, 50));
        // a sharp but sound observation: the posterior is narrow, not far away
        assertEquals(List.of(), w0006(1e-3, SamplerSpec.TwistVariance.TWEEDIE, 256, 100));
    }

    @Test
    void numbersReadWell() {
        assertEquals("-15", BlowUpCheck.fmt(-15));
        assertEquals("100", BlowUpCheck.fmt(100));
        assertEquals("126244.5938", BlowUpCheck.fmt(126244.59375));
        assertEquals("-7.676e+39", BlowUpCheck.fmt(-7.676e39));
    }
}
