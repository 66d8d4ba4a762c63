package dfl.runtime.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The twist of every family through Tweedie's x̂0 and a nonlinear G, as TDS and DPS differentiate it: the gradient of
 * the whole step objective against finite differences; and DPS and reverse guidance with a non-Gaussian observation.
 */
class FamilyTwistTest {

    private static List<FamilyCase> cases() {
        return List.of(FamilyCase.laplace(0.2, 1.8, 1.2), FamilyCase.studentT(0.2, 3, 2.3, 0.6), FamilyCase.poisson(2, 60, 18),
                FamilyCase.bernoulli(LikelihoodFamiliesTest.LOGIT_ROWS, LikelihoodFamiliesTest.LOGIT_OFFSETS, LikelihoodFamiliesTest.OUTCOMES),
                FamilyCase.tanhNormal(0.05, 0.75, 0.48));
    }

    @Test
    void twistAndDpsGradientsMatchFiniteDifferences() {
        NoiseSchedule ns = NoiseSchedule.of(Schedule.DEFAULT);
        for (FamilyCase c : cases()) {
            try (NDManager m = NDManager.newBaseManager()) {
                ExprEvaluator ev = new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64);
                Target t = Target.of(new GmmDiffusion(FamilyCase.PRIOR, ns, Shape.of(2)), List.of(), List.of(new LikelihoodTerm(c.likelihood(), ev)));
                StepEvaluator se = new StepEvaluator(t, m, 3);
                double[] x = {0.3, -0.2, 1.5, 0.8, 2.1, 1.1};
                for (int ts : new int[] {10, 300, 700}) {
                    double ab = ns.alphaBar(ts);
                    for (StepEvaluator.Mode mode : new StepEvaluator.Mode[] {StepEvaluator.Mode.TWIST, StepEvaluator.Mode.RESIDUAL_NORM}) {
                        Evaluation e = se.evaluate(x, 1, ts, ab, mode, 0.05);
                        for (int j = 0; j < x.length; j++) {
                            double h = 1e-6;
                            double[] xp = x.clone(), xm = x.clone();
                            xp[j] += h;
                            xm[j] -= h;
                            double fd = (se.evaluate(xp, 1, ts, ab, mode, 0.05).objective()[j / 2]
                                    - se.evaluate(xm, 1, ts, ab, mode, 0.05).objective()[j / 2]) / (2 * h);
                            assertEquals(fd, e.grad()[j], 1e-5 * (1 + Math.abs(fd)), c.name() + " " + mode + " t=" + ts + " coordinate " + j);
                        }
                    }
                }
            }
        }
    }

    /** DPS and plain guidance are approximate, but they must run with every family and move the samples towards the data. */
    @Test
    void dpsAndGuidanceRunWithEveryFamily() {
        for (FamilyCase c : cases()) {
            AccuracyCase.Exact exact = c.exact();
            for (SamplerSpec s : new SamplerSpec[] {new SamplerSpec.Dps(64, 50, 0.1), new SamplerSpec.Reverse(64, 50)}) {
                SamplerPlan plan = TestPlans.plan(FamilyCase.PRIOR, List.of(c.likelihood()), s);
                RunResult r = Sampling.run(plan, RunOptions.seed(3), RuntimeProvider.NONE, StepListener.NONE);
                double[] mean = r.weightedMean();
                // the prior's mean is (0.8, 0.7); every posterior here lies near (2, 1)
                double prior = Math.hypot(0.8 - exact.mean()[0], 0.7 - exact.mean()[1]);
                double got = Math.hypot(mean[0] - exact.mean()[0], mean[1] - exact.mean()[1]);
                assertTrue(got < prior, c.name() + " " + s.name() + ": mean " + java.util.Arrays.toString(mean) + " is no closer to the posterior's "
                        + java.util.Arrays.toString(exact.mean()) + " than the prior's");
            }
        }
    }
}
