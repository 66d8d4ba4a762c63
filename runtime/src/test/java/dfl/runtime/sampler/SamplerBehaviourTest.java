package dfl.runtime.sampler;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.schedule.NoiseSchedule;
import dfl.runtime.smc.LogSumExp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;

/** Determinism, error reporting, stats and the twist gradient. */
class SamplerBehaviourTest {

    private static RunResult run(SamplerPlan plan, long seed) {
        return Sampling.run(plan, RunOptions.seed(seed), RuntimeProvider.NONE, StepListener.NONE);
    }

    @Test
    void sameSeedGivesBitIdenticalOutputForEverySampler() {
        for (SamplerSpec s : new SamplerSpec[] {TestPlans.tds(64, 20), new SamplerSpec.Reverse(16, 20), new SamplerSpec.Dps(16, 20, 0.3),
                new SamplerSpec.Tds(32, 20, SamplerSpec.Resampling.RESIDUAL, 1.0, SamplerSpec.TwistVariance.REFERENCE, false)}) {
            SamplerPlan plan = TestPlans.posterior2d(s);
            RunResult a = run(plan, 7), b = run(plan, 7), c = run(plan, 8);
            assertArrayEquals(a.samples(), b.samples(), s.name());
            assertArrayEquals(a.logWeights(), b.logWeights(), 0.0);
            assertEquals(Double.doubleToLongBits(a.logEvidence()), Double.doubleToLongBits(b.logEvidence()));
            assertFalse(java.util.Arrays.deepEquals(a.samples(), c.samples()), "another seed gives other samples");
        }
    }

    @Test
    void statsAndWeightsAreConsistent() {
        List<StepStats> seen = new ArrayList<>();
        RunResult r = Sampling.run(TestPlans.posterior2d(TestPlans.tds(128, 30)), RunOptions.seed(3), RuntimeProvider.NONE,
                (done, total, st) -> {
                    assertEquals(30, total);
                    seen.add(st);
                });
        assertEquals(30, seen.size());
        assertEquals(seen, r.stats());
        assertEquals(30, r.networkCalls(), "one batched model call per step (x_T's evaluation plus T−1 proposals; the last is exact)");
        assertEquals(0.0, LogSumExp.of(r.logWeights()), 1e-9);
        double sumIncr = 0;
        for (StepStats s : r.stats()) {
            assertTrue(s.ess() >= 1 && s.ess() <= 128);
            assertTrue(s.maxWeight() >= 1.0 / 128 - 1e-12 && s.maxWeight() <= 1);
            assertTrue(s.uniqueAncestors() >= 1 && s.uniqueAncestors() <= 128);
            assertEquals(s.resampled(), s.essBefore() < 0.5 * 128);
            sumIncr += s.logEvidenceIncrement();
        }
        assertEquals(r.logEvidence(), sumIncr, 1e-9, "the per-step increments add up to the evidence estimate");
        assertEquals(30, r.stats().get(0).step());
        assertEquals(1, r.stats().get(29).step());
    }

    @Test
    void impossibleObservationGivesAllWeightsZero() {
        SamplerPlan plan = TestPlans.plan(TestPlans.posterior2dPrior(),
                List.of(TestPlans.linear(TestPlans.POSTERIOR2D_A, new double[] {1e200}, 1e-100)), TestPlans.tds(16, 10));
        DflRuntimeException e = assertThrows(DflRuntimeException.class, () -> run(plan, 1));
        assertEquals(Code.E0304, e.code());
        assertTrue(e.getMessage().contains("larger σ or more particles"), e.getMessage());
    }

    @Test
    void nanInTheScoreNamesStepAndTerm() {
        GmmDiffusion gmm = new GmmDiffusion(TestPlans.posterior2dPrior(), NoiseSchedule.of(Schedule.DEFAULT), Shape.of(2));
        DiffusionModel broken = new DiffusionModel() {
            public Shape sampleShape() { return gmm.sampleShape(); }
            public NoiseSchedule schedule() { return gmm.schedule(); }
            public DataType dataType() { return DataType.FLOAT64; }
            public boolean hasEnergy() { return false; }
            public NDArray eps(NDArray xt, int t) {
                NDArray e = gmm.eps(xt, t);
                return t < 500 ? e.mul(Double.NaN) : e;
            }
        };
        SamplerPlan plan = TestPlans.posterior2d(TestPlans.tds(8, 10));
        try (NDManager m = NDManager.newBaseManager()) {
            ExprEvaluator ev = new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64);
            Target t = Target.of(broken, List.of(), List.of(new LikelihoodTerm(plan.likelihoods().get(0), ev)));
            DflRuntimeException e = assertThrows(DflRuntimeException.class,
                    () -> Sampling.run(t, plan.sampler(), RunOptions.seed(1), StepListener.NONE));
            assertEquals(Code.E0303, e.code());
            assertTrue(e.getMessage().contains("step 5") && e.getMessage().contains("noise prediction"), e.getMessage());
        }
    }

    @Test
    void cancellationStopsBetweenSteps() {
        RunOptions opts = RunOptions.seed(1);
        StepListener cancelAfterThree = (done, total, s) -> {
            if (done == 3) opts.cancel().set(true);
        };
        assertThrows(CancellationException.class,
                () -> Sampling.run(TestPlans.posterior2d(TestPlans.tds(8, 50)), opts, RuntimeProvider.NONE, cancelAfterThree));
    }

    @Test
    void twistGradientMatchesFiniteDifferences() {
        SamplerPlan plan = TestPlans.posterior2d(TestPlans.tds(3, 10));
        NoiseSchedule ns = NoiseSchedule.of(Schedule.DEFAULT);
        try (NDManager m = NDManager.newBaseManager()) {
            ExprEvaluator ev = new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64);
            Target t = Target.of(new GmmDiffusion(TestPlans.posterior2dPrior(), ns, Shape.of(2)), List.of(),
                    List.of(new LikelihoodTerm(plan.likelihoods().get(0), ev)));
            StepEvaluator se = new StepEvaluator(t, m, 3);
            double[] x = {0.3, -0.2, 1.5, 0.8, -1.0, 0.1};
            for (int ts : new int[] {10, 300, 700}) {
                double ab = ns.alphaBar(ts);
                Evaluation e = se.evaluate(x, 1, ts, ab, StepEvaluator.Mode.TWIST, 0.05);
                double h = 1e-6;
                for (int j = 0; j < x.length; j++) {
                    double[] xp = x.clone(), xm = x.clone();
                    xp[j] += h;
                    xm[j] -= h;
                    double fp = se.evaluate(xp, 1, ts, ab, StepEvaluator.Mode.TWIST, 0.05).objective()[j / 2];
                    double fm = se.evaluate(xm, 1, ts, ab, StepEvaluator.Mode.TWIST, 0.05).objective()[j / 2];
                    assertEquals((fp - fm) / (2 * h), e.grad()[j], 1e-5 * (1 + Math.abs(e.grad()[j])), "t=" + ts + " coord " + j);
                }
            }
        }
    }
}
