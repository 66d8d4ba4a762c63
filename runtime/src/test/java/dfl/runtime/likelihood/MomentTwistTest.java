package dfl.runtime.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import dfl.source.Span;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The moment-matched twist against closed forms: the cubature's mean and variance of a quadratic G(z) = zᵀAz + bᵀz
 * under z ~ N(m, s²I) (E = mᵀAm + bᵀm + s² tr A, Var = s²|2Am + b|² + 2s⁴ tr(A²) for symmetric A), and
 * {@link LikelihoodTerm#momentLogDensity} against N(y; E, σ² + Var) for every particle of a batch.
 */
class MomentTwistTest {

    @Test
    void productRuleIsExactForQuadraticsUpToSixDimensions() {
        for (int d = 1; d <= MomentCubature.PRODUCT_MAX_DIMENSION; d++) {
            Quadratic q = Quadratic.random(d, 10 + d);
            double[] m = new SplittableRandom(d).doubles(d, -1, 1).toArray();
            double s2 = 0.3;
            double[] mv = q.moments(MomentCubature.of(d), m, s2);
            assertEquals(q.mean(m, s2), mv[0], 1e-10, "mean, d = " + d);
            assertEquals(q.variance(m, s2), mv[1], 1e-10, "variance, d = " + d);
        }
    }

    @Test
    void sphericalRuleKeepsTheMeanAndAWiderVarianceAboveSix() {
        int d = 9;
        Quadratic q = Quadratic.random(d, 3);
        double[] m = new SplittableRandom(4).doubles(d, -1, 1).toArray();
        MomentCubature rule = MomentCubature.of(d);
        assertEquals(2 * d, rule.points());
        double[] mv = q.moments(rule, m, 0.3);
        assertEquals(q.mean(m, 0.3), mv[0], 1e-10);
        assertTrue(mv[1] >= 0, "positive weights keep the variance ≥ 0");
        // negative control: the same rule is not exact for the variance (the cross terms are missed)
        assertTrue(Math.abs(mv[1] - q.variance(m, 0.3)) > 1e-3);
    }

    @Test
    void logDensityMatchesTheClosedFormForEveryParticle() {
        // G(x) = x₁² + x₁x₂ (a quadratic with a cross term), y = 0.7, σ = 0.2
        TensorExpr x = new TensorExpr.Latent(Shape.of(2));
        TensorExpr x1 = row(new double[] {1, 0}, x), x2 = row(new double[] {0, 1}, x);
        TensorExpr g = new TensorExpr.Binary(TensorExpr.Op.MUL, x1, new TensorExpr.Binary(TensorExpr.Op.ADD, x1, x2, Shape.of(1)), Shape.of(1));
        double y = 0.7, sigma = 0.2, s2 = 0.45;
        SamplerPlan.Likelihood spec = new SamplerPlan.Likelihood(TestPlans.vector(new double[] {y}), g, sigma, Span.NONE);
        double[] x0 = {0.0, 0.0, 1.2, -0.3, -0.8, 0.9, 0.05, 2.0};
        Quadratic q = new Quadratic(new double[][] {{1, 0.5}, {0.5, 0}}, new double[] {0, 0});
        try (NDManager m = NDManager.newBaseManager()) {
            LikelihoodTerm term = new LikelihoodTerm(spec, new ExprEvaluator(RuntimeProvider.NONE, DataType.FLOAT64));
            NDArray lp = term.momentLogDensity(m.create(x0, new ai.djl.ndarray.types.Shape(4, 2)), s2, MomentCubature.of(2), m);
            double[] got = lp.toDoubleArray();
            for (int p = 0; p < 4; p++) {
                double[] mp = {x0[2 * p], x0[2 * p + 1]};
                double v = sigma * sigma + q.variance(mp, s2), e = q.mean(mp, s2);
                double want = -0.5 * (y - e) * (y - e) / v - 0.5 * Math.log(2 * Math.PI * v);
                assertEquals(want, got[p], 1e-9, "particle " + p);
            }
        }
    }

    private static TensorExpr row(double[] a, TensorExpr x) {
        return new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(new double[][] {a}), x, Shape.of(1));
    }

    /** G(z) = zᵀAz + bᵀz with A symmetric, and its exact Gaussian moments. */
    private record Quadratic(double[][] a, double[] b) {

        static Quadratic random(int d, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[][] a = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j <= i; j++) a[i][j] = a[j][i] = r.nextDouble(-1, 1);
            }
            return new Quadratic(a, r.doubles(d, -1, 1).toArray());
        }

        double at(double[] z) {
            double s = 0;
            for (int i = 0; i < z.length; i++) {
                s += b[i] * z[i];
                for (int j = 0; j < z.length; j++) s += z[i] * a[i][j] * z[j];
            }
            return s;
        }

        double mean(double[] m, double s2) {
            double tr = 0;
            for (int i = 0; i < m.length; i++) tr += a[i][i];
            return at(m) + s2 * tr;
        }

        double variance(double[] m, double s2) {
            int d = m.length;
            double lin = 0, tr2 = 0;
            for (int i = 0; i < d; i++) {
                double gi = b[i];
                for (int j = 0; j < d; j++) {
                    gi += 2 * a[i][j] * m[j];
                    tr2 += a[i][j] * a[j][i];
                }
                lin += gi * gi;
            }
            return s2 * lin + 2 * s2 * s2 * tr2;
        }

        /** {mean, variance} of G at m + √s2·z_n by the rule. */
        double[] moments(MomentCubature rule, double[] m, double s2) {
            int d = rule.d();
            double[] gv = new double[rule.points()];
            double mean = 0;
            for (int n = 0; n < gv.length; n++) {
                double[] z = new double[d];
                for (int j = 0; j < d; j++) z[j] = m[j] + Math.sqrt(s2) * rule.nodes()[n * d + j];
                gv[n] = at(z);
                mean += rule.weights()[n] * gv[n];
            }
            double var = 0;
            for (int n = 0; n < gv.length; n++) var += rule.weights()[n] * (gv[n] - mean) * (gv[n] - mean);
            return new double[] {mean, var};
        }
    }
}
