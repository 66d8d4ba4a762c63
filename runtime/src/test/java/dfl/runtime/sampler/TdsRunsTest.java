package dfl.runtime.sampler;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;
import static org.junit.jupiter.api.Assertions.*;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tds(runs = R)}: R independent populations in one batch. Each run's Ẑ is unbiased for the evidence, so over
 * the runs of two seeds the mean of Ẑ/Z must be 1 within 3 standard errors (T = 500, where the chain's own evidence is
 * within 0.02 of the exact one; see TdsConvergenceTest); the same check rejects an evidence off by 0.3. The pooled
 * weighted mean must match the exact posterior mean within 4 Monte Carlo standard deviations, s.d./√ESS.
 */
class TdsRunsTest {

    @Test
    void everyRunEstimatesTheEvidenceAndThePooledSampleTheExactPosterior() {
        SamplerSpec.Tds spec = new SamplerSpec.Tds(256, 500, SamplerSpec.Resampling.SYSTEMATIC, 0.5,
                SamplerSpec.TwistVariance.TWEEDIE, false, SamplerSpec.Spacing.UNIFORM, 8);
        SamplerPlan plan = TestPlans.posterior2d(spec);
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        List<Double> logZ = new ArrayList<>();
        for (long seed : new long[] {11, 12}) {
            RunResult r = Sampling.run(plan, RunOptions.seed(seed), RuntimeProvider.NONE, StepListener.NONE);
            assertEquals(8 * 256, r.particles());
            assertEquals(8, r.runLogEvidence().size());
            logZ.addAll(r.runLogEvidence());
            double[] mean = r.weightedMean();
            double[][] cov = exact.posterior().covariance();
            double ess = 1 / java.util.Arrays.stream(r.weights()).map(w -> w * w).sum();
            for (int j = 0; j < 2; j++) {
                double tol = 4 * Math.sqrt(cov[j][j] / ess);
                assertEquals(exact.posterior().mean()[j], mean[j], tol, "pooled mean[" + j + "], seed " + seed);
            }
            // the run's evidence is the log of the runs' mean Ẑ
            double lme = dfl.runtime.smc.LogSumExp.of(r.runLogEvidence().stream().mapToDouble(Double::doubleValue).toArray())
                    - Math.log(8);
            assertEquals(lme, r.logEvidence(), 1e-9);
        }
        assertTrue(Math.abs(evidenceZ(logZ, exact.logEvidence())) < 3, "Ẑ/Z off by " + evidenceZ(logZ, exact.logEvidence()) + " s.e.");
        assertTrue(Math.abs(evidenceZ(logZ, exact.logEvidence() + 0.3)) > 3, "negative control: a 0.3 error must be seen");
    }

    @Test
    void oneRunIsTheSamplerWithoutRuns() {
        SamplerSpec.Tds one = new SamplerSpec.Tds(64, 50, SamplerSpec.Resampling.SYSTEMATIC, 0.5,
                SamplerSpec.TwistVariance.TWEEDIE, false, SamplerSpec.Spacing.TAIL, 1);
        RunResult a = Sampling.run(TestPlans.posterior2d(one), RunOptions.seed(3), RuntimeProvider.NONE, StepListener.NONE);
        RunResult b = Sampling.run(TestPlans.posterior2d(new SamplerSpec.Tds(64, 50, SamplerSpec.Resampling.SYSTEMATIC, 0.5,
                SamplerSpec.TwistVariance.TWEEDIE, false, SamplerSpec.Spacing.TAIL)), RunOptions.seed(3), RuntimeProvider.NONE,
                StepListener.NONE);
        assertArrayEquals(a.logWeights(), b.logWeights());
        assertEquals(a.logEvidence(), b.logEvidence());
        assertTrue(a.runLogEvidence().isEmpty());
    }

    /** (mean of Ẑ/Z − 1) in standard errors. */
    private static double evidenceZ(List<Double> logZ, double truth) {
        double[] ratio = logZ.stream().mapToDouble(z -> Math.exp(z - truth)).toArray();
        return (avg(ratio) - 1) / Math.sqrt(var(ratio) / ratio.length);
    }
}
