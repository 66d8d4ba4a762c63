package dfl.runtime.exact;

import static org.junit.jupiter.api.Assertions.*;

import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.source.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact reference checked independently, by brute-force quadrature on a grid. */
class LinearGaussianPosteriorTest {

    @Test
    void posterior2dMatchesGridQuadrature() {
        GaussianMixture prior = TestPlans.posterior2dPrior();
        // a correlated full covariance in one component so the check is not only isotropic
        prior = new GaussianMixture(prior.weights(), prior.means(), new double[][][] {{{0.3, 0.12}, {0.12, 0.2}}, TestPlans.iso(2, 0.25)});
        double[][] a = {{1.0, 0.5}};
        double[] y = {1.2};
        double sigma = 0.3;
        LinearGaussianPosterior exact = LinearGaussianPosterior.of(prior, a, y, sigma);

        var logPrior = prior.logDensityFunction();
        double lo = -6, hi = 6, h = 0.01;
        int n = (int) Math.round((hi - lo) / h);
        double z = 0, m0 = 0, m1 = 0, s00 = 0, s01 = 0, s11 = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x0 = lo + (i + 0.5) * h, x1 = lo + (j + 0.5) * h;
                double r = y[0] - a[0][0] * x0 - a[0][1] * x1;
                double p = Math.exp(logPrior.applyAsDouble(new double[] {x0, x1}) - 0.5 * r * r / (sigma * sigma))
                        / Math.sqrt(2 * Math.PI * sigma * sigma) * h * h;
                z += p;
                m0 += p * x0;
                m1 += p * x1;
                s00 += p * x0 * x0;
                s01 += p * x0 * x1;
                s11 += p * x1 * x1;
            }
        }
        m0 /= z;
        m1 /= z;
        assertEquals(Math.log(z), exact.logEvidence(), 1e-4);
        double[] mean = exact.posterior().mean();
        assertEquals(m0, mean[0], 1e-4);
        assertEquals(m1, mean[1], 1e-4);
        double[][] cov = exact.posterior().covariance();
        assertEquals(s00 / z - m0 * m0, cov[0][0], 1e-4);
        assertEquals(s01 / z - m0 * m1, cov[0][1], 1e-4);
        assertEquals(s11 / z - m1 * m1, cov[1][1], 1e-4);
    }

    @Test
    void oneDimensionalQuadrature() {
        GaussianMixture prior = new GaussianMixture(new double[] {0.5, 0.5}, new double[][] {{-1}, {1.5}},
                new double[][][] {{{0.2}}, {{0.6}}});
        LinearGaussianPosterior exact = LinearGaussianPosterior.of(prior, new double[][] {{2.0}}, new double[] {0.4}, 0.5);
        double z = 0, m = 0, h = 1e-3;
        for (double x = -8; x < 8; x += h) {
            double r = 0.4 - 2 * x;
            double p = Math.exp(prior.logDensity(new double[] {x}) - 0.5 * r * r / 0.25) / Math.sqrt(2 * Math.PI * 0.25) * h;
            z += p;
            m += p * x;
        }
        assertEquals(Math.log(z), exact.logEvidence(), 1e-6);
        assertEquals(m / z, exact.posterior().mean()[0], 1e-6);
    }

    @Test
    void planReferenceReadsAffineMeansOffTheExpression() {
        GaussianMixture prior = TestPlans.randomMixture(3, 2, 9);
        double[][] a = {{1, 2, 0}, {0, -1, 0.5}};
        // G(x) = -(A @ x) + [0.5, 1.0]  (so offset and sign must be recovered)
        TensorExpr ax = new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(a), new TensorExpr.Latent(Shape.of(3)), Shape.of(2));
        TensorExpr g = new TensorExpr.Binary(TensorExpr.Op.ADD, new TensorExpr.Neg(ax, Shape.of(2)),
                TestPlans.vector(new double[] {0.5, 1.0}), Shape.of(2));
        double[] y = {0.3, -0.2};
        SamplerPlan plan = TestPlans.plan(prior, List.of(new SamplerPlan.Likelihood(TestPlans.vector(y), g, 0.4, Span.NONE)),
                TestPlans.tds(4, 10));
        LinearGaussianPosterior viaPlan = PlanReference.of(plan, RuntimeProvider.NONE);
        double[][] negA = {{-1, -2, 0}, {0, 1, -0.5}};
        LinearGaussianPosterior direct = LinearGaussianPosterior.of(prior, negA, new double[] {0.5, 1.0}, y, new double[] {0.4, 0.4});
        assertEquals(direct.logEvidence(), viaPlan.logEvidence(), 1e-9);
        assertArrayEquals(direct.posterior().mean(), viaPlan.posterior().mean(), 1e-9);

        TensorExpr square = new TensorExpr.Binary(TensorExpr.Op.MUL, new TensorExpr.Latent(Shape.of(3)), new TensorExpr.Latent(Shape.of(3)),
                Shape.of(3));
        SamplerPlan nonlinear = TestPlans.plan(prior, List.of(new SamplerPlan.Likelihood(TestPlans.vector(new double[] {1, 1, 1}),
                square, 0.4, Span.NONE)), TestPlans.tds(4, 10));
        assertThrows(IllegalArgumentException.class, () -> PlanReference.of(nonlinear, RuntimeProvider.NONE));
    }
}
