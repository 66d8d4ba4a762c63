package dfl.runtime.sampler;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;
import static org.junit.jupiter.api.Assertions.*;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code mcgdiff} against exact linear-Gaussian posteriors of Gaussian-mixture priors. Each check runs R = 8 populations
 * in one batch ({@code runs = 8}) and compares the runs' weighted means, variances and Ẑ/Z with the exact values by the
 * run-to-run standard error: |t| &lt; 5.41 (t with 7 degrees of freedom at 0.1%, as LikelihoodFamiliesTest). T = 500
 * keeps the chain's own under-dispersion (docs/samplers.md, "Discretisation") below that error. Negative controls: the
 * same statistics fail for the same particles with the weights dropped and for a run given the wrong σ.
 */
class McgDiffTest {

    private static final int RUNS = 8;
    private static final double T_LIMIT = 5.41;

    /** mcgdiff with K particles per run, T steps, RUNS populations. */
    private static SamplerSpec.McgDiff spec(int k, int steps) {
        return new SamplerSpec.McgDiff(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.5, SamplerSpec.Spacing.TAIL, RUNS);
    }

    /** A random d-dimensional mixture observed as y = A x + N(0, σ²) with y drawn from the model (seeded). */
    private static SamplerPlan projections(int d, double[][] a, double sigma, long seed, SamplerSpec sampler) {
        GaussianMixture prior = TestPlans.randomMixture(d, 3, seed, 0.4, 0.1);
        return TestPlans.plan(prior, List.of(TestPlans.linear(a, draw(prior, a, sigma, seed), sigma)), sampler);
    }

    private static double[] draw(GaussianMixture prior, double[][] a, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed + 2);
        double[] x = GmmAlgebra.sample(prior, 1, r)[0];
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) y[i] += a[i][j] * x[j];
            y[i] += sigma * r.nextGaussian();
        }
        return y;
    }

    @Test
    void projectionsMatchTheExactPosteriorAndEvidence() {
        double[][] a = TestPlans.randomMatrix(2, 4, 7);
        SamplerPlan plan = projections(4, a, 0.1, 7, spec(256, 500));
        Runs runs = Runs.of(Sampling.run(plan, RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE));
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        assertTrue(runs.worstT(exact, true) < T_LIMIT, "weighted: max |t| " + runs.worstT(exact, true));
        assertTrue(Math.abs(runs.evidenceT(exact.logEvidence())) < T_LIMIT, "Ẑ/Z: t " + runs.evidenceT(exact.logEvidence()));
        // negative controls: the particles without their weights, and the evidence of a model off by 0.3 nats
        assertTrue(runs.worstT(exact, false) > T_LIMIT, "unweighted particles must fail: max |t| " + runs.worstT(exact, false));
        assertTrue(Math.abs(runs.evidenceT(exact.logEvidence() + 0.3)) > T_LIMIT, "a 0.3 error in log Z must be seen");
    }

    @Test
    void aWrongNoiseLevelFailsTheSameCheck() {
        double[][] a = TestPlans.randomMatrix(2, 4, 7);
        SamplerPlan right = projections(4, a, 0.1, 7, spec(256, 500));
        SamplerPlan wrong = TestPlans.plan(TestPlans.randomMixture(4, 3, 7, 0.4, 0.1),
                List.of(TestPlans.linear(a, ((TensorExpr.Const) right.likelihoods().get(0).data()).values().stream()
                        .mapToDouble(Double::doubleValue).toArray(), 0.3)), spec(256, 500));
        Runs runs = Runs.of(Sampling.run(wrong, RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE));
        assertTrue(runs.worstT(PlanReference.of(right, RuntimeProvider.NONE), true) > T_LIMIT, "σ = 0.3 instead of 0.1 must fail");
    }

    @Test
    void aMaskOnAMatrixLatentMatchesTheExactPosterior() {
        // latent [2, 3]; observe the elements (0,0), (0,2), (1,1) at σ = 0.05 through M * x
        GaussianMixture prior = TestPlans.randomMixture(6, 3, 11, 0.4, 0.1);
        SamplerPlan plan = masked(prior, 0.05, draw(prior, maskMatrix(), 0.05, 11));
        Runs runs = Runs.of(Sampling.run(plan, RunOptions.seed(2), RuntimeProvider.NONE, StepListener.NONE));
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        assertTrue(runs.worstT(exact, true) < T_LIMIT, "weighted: max |t| " + runs.worstT(exact, true));
        assertTrue(Math.abs(runs.evidenceT(exact.logEvidence())) < T_LIMIT, "Ẑ/Z: t " + runs.evidenceT(exact.logEvidence()));
        // negative control: the same data run at σ = 0.1 instead of 0.05. (The particles without their weights no longer
        // fail here, max |t| 4.7: the proposal alone is close to this posterior since the last potential is the likelihood.)
        SamplerPlan wrong = masked(prior, 0.1, draw(prior, maskMatrix(), 0.05, 11));
        Runs off = Runs.of(Sampling.run(wrong, RunOptions.seed(2), RuntimeProvider.NONE, StepListener.NONE));
        assertTrue(off.worstT(exact, true) > T_LIMIT, "σ = 0.1 instead of 0.05 must fail: max |t| " + off.worstT(exact, true));
    }

    private static final double[] MASK = {1, 0, 1, 0, 1, 0};

    private static double[][] maskMatrix() {
        double[][] a = new double[6][6];
        for (int i = 0; i < 6; i++) a[i][i] = MASK[i];
        return a;
    }

    /** y ~ Normal(M * x, σ) with a [2, 3] latent and the mask M = MASK. */
    private static SamplerPlan masked(GaussianMixture prior, double sigma, double[] y) {
        TensorExpr mask = new TensorExpr.Const(TestPlans.vector(MASK).values(), Shape.of(2, 3));
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MUL, mask, new TensorExpr.Latent(Shape.of(2, 3)), Shape.of(2, 3));
        SamplerPlan.Likelihood lik = new SamplerPlan.Likelihood(new TensorExpr.Const(TestPlans.vector(y).values(), Shape.of(2, 3)),
                mean, sigma, Span.NONE);
        SamplerPlan flat = TestPlans.plan(prior, List.of(lik), spec(256, 500));
        return new SamplerPlan(flat.modelName(), new SamplerPlan.Latent("x", Shape.of(2, 3), Span.NONE), flat.prior(),
                flat.target(), flat.likelihoods(), flat.sampler(), flat.reason(), flat.outDir());
    }

    @Test
    void thePilotRegressesTheDenoisersSlopes() {
        // one Gaussian component with a diagonal covariance, observed through two coordinates: x̂0 is linear and diagonal,
        // x̂0_j = √ᾱ s_j² x_j / (ᾱ s_j² + 1 − ᾱ), so the regressed slope of each observed coordinate is exactly that
        double[] s2 = {0.09, 0.25, 0.04, 1.0};
        double[][][] cov = new double[1][4][4];
        for (int j = 0; j < 4; j++) cov[0][j][j] = s2[j];
        GaussianMixture prior = new GaussianMixture(new double[] {1}, new double[][] {{0.3, -0.2, 0.1, 0}}, cov);
        double[][] a = {{0, 1, 0, 0}, {0, 0, 0, 1}};
        SamplerPlan plan = TestPlans.plan(prior, List.of(TestPlans.linear(a, new double[] {0.4, -0.5}, 0.1)), spec(64, 50));
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                Target target = Target.of(plan, RuntimeProvider.NONE, manager)) {
            SamplerSpec.McgDiff one = new SamplerSpec.McgDiff(64, 50, SamplerSpec.Resampling.SYSTEMATIC, 0.5, SamplerSpec.Spacing.TAIL, 1);
            McgDiffSampler pilot = new McgDiffSampler(target, one, McgDiffSampler.Potential.NOISE_MATCHED,
                    McgDiffSampler.Slopes.TWEEDIE, RunOptions.seed(5), StepListener.NONE, manager);
            pilot.recorder = McgDiffSlopes.recording(50);
            pilot.run();
            LinearObservations obs = LinearObservations.of(target);
            var schedule = target.prior().schedule().respace(50, SamplerSpec.Spacing.TAIL);
            for (int i = 2; i <= 50; i++) {
                double ab = schedule.alphaBar(i);
                for (int q = 0; q < obs.rank(); q++) {
                    int j = Math.abs(obs.basis()[q][1]) > 0.5 ? 1 : 3; // the observed coordinate this SVD direction is
                    double expected = Math.sqrt(ab) * s2[j] / (ab * s2[j] + 1 - ab);
                    assertEquals(expected, pilot.recorder.recorded(i)[q], 1e-6 * expected + 1e-9, "step " + i + " coordinate " + j);
                }
                // the potentials take the regressed slope from ᾱ = 0.5 on and Tweedie's 1/√ᾱ below ᾱ = 0.05
                double[] used = pilot.recorder.at(i, ab, obs.rank());
                if (ab >= McgDiffSlopes.TO) assertArrayEquals(pilot.recorder.recorded(i), used, 1e-12);
                if (ab <= McgDiffSlopes.FROM) assertEquals(1 / Math.sqrt(ab), used[0], 1e-12);
            }
        }
    }

    @Test
    void dependentRowsBeyondTheRankAreHandled() {
        // three rows of rank two in four dimensions: the third is the sum of the first two
        double[][] two = TestPlans.randomMatrix(2, 4, 5);
        double[][] a = {two[0], two[1], new double[4]};
        for (int j = 0; j < 4; j++) a[2][j] = two[0][j] + two[1][j];
        SamplerPlan plan = projections(4, a, 0.2, 5, spec(256, 500));
        RunResult r = Sampling.run(plan, RunOptions.seed(3), RuntimeProvider.NONE, StepListener.NONE);
        Runs runs = Runs.of(r);
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        assertTrue(runs.worstT(exact, true) < T_LIMIT, "weighted: max |t| " + runs.worstT(exact, true));
        assertTrue(Math.abs(runs.evidenceT(exact.logEvidence())) < T_LIMIT, "Ẑ/Z: t " + runs.evidenceT(exact.logEvidence()));
        assertEquals(2 * 500, r.networkCalls(), "one forward call per step, and one per step of the pilot (K/8 particles)");
    }

    @Test
    void theSvdCoordinatesReproduceTheLikelihood() {
        // two observations with different σ, one of them with a repeated row: log p(y | x) = Σ log N(ȳ; x̄, 1/s²) + C
        double[][] a1 = TestPlans.randomMatrix(3, 5, 1);
        double[][] a2 = {a1[0], TestPlans.randomMatrix(1, 5, 2)[0]};
        double[] y1 = {0.3, -1.2, 0.8}, y2 = {0.1, 2.0};
        GaussianMixture prior = TestPlans.randomMixture(5, 2, 3);
        SamplerPlan plan = TestPlans.plan(prior, List.of(TestPlans.linear(a1, y1, 0.2), TestPlans.linear(a2, y2, 0.5)),
                spec(4, 10));
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                Target target = Target.of(plan, RuntimeProvider.NONE, manager)) {
            LinearObservations obs = LinearObservations.of(target);
            assertEquals(5, obs.rows());
            assertEquals(4, obs.rank());
            SplittableRandom r = new SplittableRandom(9);
            for (int trial = 0; trial < 5; trial++) {
                double[] x = r.doubles(5, -2, 2).toArray();
                double expected = logNormal(a1, y1, 0.2, x) + logNormal(a2, y2, 0.5, x);
                double got = obs.constant();
                for (int q = 0; q < obs.rank(); q++) {
                    double xb = 0;
                    for (int j = 0; j < 5; j++) xb += obs.basis()[q][j] * x[j];
                    double res = obs.values()[q] - xb, v = obs.variance()[q];
                    got += -0.5 * (res * res / v + Math.log(2 * Math.PI * v));
                }
                assertEquals(expected, got, 1e-9);
            }
        }
    }

    @Test
    void nonLinearObservationsAndFactorsAreRejected() {
        TensorExpr x = new TensorExpr.Latent(Shape.of(2));
        TensorExpr square = new TensorExpr.Binary(TensorExpr.Op.MUL, x, x, Shape.of(2));
        SamplerPlan plan = TestPlans.plan(TestPlans.posterior2dPrior(),
                List.of(new SamplerPlan.Likelihood(TestPlans.vector(new double[] {1, 1}), square, 0.1, Span.NONE)), spec(4, 10));
        dfl.runtime.DflRuntimeException e = assertThrows(dfl.runtime.DflRuntimeException.class,
                () -> Sampling.run(plan, RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE));
        assertEquals(dfl.diag.Code.E0218, e.code());
        assertTrue(e.getMessage().contains("not linear"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameOutput() {
        SamplerPlan plan = TestPlans.posterior2d(new SamplerSpec.McgDiff(64, 50, SamplerSpec.Resampling.STRATIFIED, 0.5,
                SamplerSpec.Spacing.TAIL, 1));
        RunResult a = Sampling.run(plan, RunOptions.seed(4), RuntimeProvider.NONE, StepListener.NONE);
        RunResult b = Sampling.run(plan, RunOptions.seed(4), RuntimeProvider.NONE, StepListener.NONE);
        assertArrayEquals(a.logWeights(), b.logWeights());
        for (int p = 0; p < a.particles(); p++) assertArrayEquals(a.samples()[p], b.samples()[p]);
        assertEquals(a.logEvidence(), b.logEvidence());
        double sum = a.stats().stream().mapToDouble(s -> s.logEvidenceIncrement()).sum();
        assertEquals(a.logEvidence(), sum + constantOf(plan), 1e-9, "the increments and the likelihood's constant sum to log Ẑ");
    }

    private static double constantOf(SamplerPlan plan) {
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager();
                Target target = Target.of(plan, RuntimeProvider.NONE, manager)) {
            return LinearObservations.of(target).constant();
        }
    }

    private static double logNormal(double[][] a, double[] y, double sigma, double[] x) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double g = 0;
            for (int j = 0; j < x.length; j++) g += a[i][j] * x[j];
            s += -0.5 * ((y[i] - g) * (y[i] - g) / (sigma * sigma) + Math.log(2 * Math.PI * sigma * sigma));
        }
        return s;
    }

    /** The R populations of one batched run: each run's weighted (or unweighted) moments and Ẑ. */
    private record Runs(List<double[][]> samples, List<double[]> weights, List<Double> logZ) {

        static Runs of(RunResult r) {
            int k = r.particles() / RUNS;
            List<double[][]> xs = new ArrayList<>();
            List<double[]> ws = new ArrayList<>();
            double[] w = r.weights();
            for (int run = 0; run < RUNS; run++) {
                double[][] x = new double[k][];
                double[] wr = new double[k];
                for (int p = 0; p < k; p++) {
                    x[p] = AccuracyCase.toDouble(r.samples()[run * k + p]);
                    wr[p] = w[run * k + p] * RUNS;
                }
                xs.add(x);
                ws.add(wr);
            }
            assertEquals(RUNS, r.runLogEvidence().size());
            return new Runs(xs, ws, r.runLogEvidence());
        }

        /** The largest |t| over coordinates of the runs' means and variances against the exact posterior. */
        double worstT(LinearGaussianPosterior exact, boolean weighted) {
            double[] mean = exact.posterior().mean();
            double[][] cov = exact.posterior().covariance();
            double worst = 0;
            for (int j = 0; j < mean.length; j++) {
                double[] m = new double[RUNS], v = new double[RUNS];
                for (int run = 0; run < RUNS; run++) {
                    double[][] x = samples.get(run);
                    double[] w = weights.get(run);
                    double sw = 0, s1 = 0, s2 = 0;
                    for (int p = 0; p < x.length; p++) {
                        double wp = weighted ? w[p] : 1;
                        sw += wp;
                        s1 += wp * x[p][j];
                        s2 += wp * x[p][j] * x[p][j];
                    }
                    m[run] = s1 / sw;
                    v[run] = s2 / sw - m[run] * m[run];
                }
                worst = Math.max(worst, Math.abs(t(m, mean[j])));
                worst = Math.max(worst, Math.abs(t(v, cov[j][j])));
            }
            return worst;
        }

        /** (mean of Ẑ_r/Z − 1) in run-to-run standard errors. */
        double evidenceT(double logZ) {
            return t(logZ().stream().mapToDouble(z -> Math.exp(z - logZ)).toArray(), 1);
        }

        private static double t(double[] a, double truth) {
            return (avg(a) - truth) / Math.sqrt(var(a) / a.length);
        }
    }
}
