package dfl.runtime;

import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TargetSpec;
import dfl.plan.TensorExpr;
import dfl.runtime.gmm.GaussianMixture;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Plans built by hand, as the compiler would lower them, for end-to-end runtime tests. */
public final class TestPlans {

    private TestPlans() {}

    /** A gmm(...) model reference from arrays. */
    public static ModelRef.Gmm gmm(GaussianMixture g) {
        List<Double> w = new ArrayList<>();
        List<List<Double>> mu = new ArrayList<>();
        List<List<List<Double>>> cov = new ArrayList<>();
        for (int k = 0; k < g.components(); k++) {
            w.add(g.weights()[k]);
            mu.add(list(g.means()[k]));
            List<List<Double>> c = new ArrayList<>();
            for (double[] row : g.covariances()[k]) c.add(list(row));
            cov.add(c);
        }
        return new ModelRef.Gmm(w, mu, cov);
    }

    static List<Double> list(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) l.add(v);
        return l;
    }

    /** The constant of a matrix. */
    public static TensorExpr.Const matrix(double[][] a) {
        List<Double> v = new ArrayList<>();
        for (double[] row : a) for (double x : row) v.add(x);
        return new TensorExpr.Const(v, Shape.of(a.length, a[0].length));
    }

    /** The constant of a vector. */
    public static TensorExpr.Const vector(double[] a) {
        return new TensorExpr.Const(list(a), Shape.of(a.length));
    }

    /** observe y ~ Normal(A @ x, σ). */
    public static SamplerPlan.Likelihood linear(double[][] a, double[] y, double sigma) {
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MATMUL, matrix(a), new TensorExpr.Latent(Shape.of(a[0].length)),
                Shape.of(a.length));
        return new SamplerPlan.Likelihood(vector(y), mean, sigma, Span.NONE);
    }

    /** A plan: gmm prior under the default schedule, the given likelihoods and sampler. */
    public static SamplerPlan plan(GaussianMixture prior, List<SamplerPlan.Likelihood> likelihoods, SamplerSpec sampler) {
        Density p = new Density.Diffusion("prior", gmm(prior), Schedule.DEFAULT, Span.NONE);
        return new SamplerPlan("test", new SamplerPlan.Latent("x", Shape.of(prior.dimension()), Span.NONE), p, TargetSpec.of(p),
                likelihoods,
                sampler, "test", Optional.empty());
    }

    /** The DESIGN posterior2d prior: weights [0.3, 0.7], means [[-2,0],[2,1]], std 0.5. */
    public static GaussianMixture posterior2dPrior() {
        return new GaussianMixture(new double[] {0.3, 0.7}, new double[][] {{-2, 0}, {2, 1}},
                new double[][][] {iso(2, 0.25), iso(2, 0.25)});
    }

    /** A = [[1.0, 0.5]]. */
    public static final double[][] POSTERIOR2D_A = {{1.0, 0.5}};
    /** y = [1.2]. */
    public static final double[] POSTERIOR2D_Y = {1.2};
    /** σ = 0.3. */
    public static final double POSTERIOR2D_SIGMA = 0.3;

    /** The posterior2d plan with the given sampler. */
    public static SamplerPlan posterior2d(SamplerSpec sampler) {
        return plan(posterior2dPrior(), List.of(linear(POSTERIOR2D_A, POSTERIOR2D_Y, POSTERIOR2D_SIGMA)), sampler);
    }

    /** s·I in d dimensions. */
    public static double[][] iso(int d, double s) {
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) a[i][i] = s;
        return a;
    }

    /** A random mixture in d dimensions with full covariances 0.1 B Bᵀ/d + 0.05 I, fixed by seed. */
    public static GaussianMixture randomMixture(int d, int components, long seed) {
        return randomMixture(d, components, seed, 0.1, 0.05);
    }

    /**
     * A random mixture in d dimensions: means 1.5·N(0, I), full covariances {@code scale}·B Bᵀ/d + {@code floor}·I with
     * B standard normal, weights uniform in [0.5, 1.5] (normalised); fixed by seed.
     */
    public static GaussianMixture randomMixture(int d, int components, long seed, double scale, double floor) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] w = new double[components];
        double[][] mu = new double[components][d];
        double[][][] cov = new double[components][d][d];
        for (int k = 0; k < components; k++) {
            w[k] = 0.5 + r.nextDouble();
            for (int i = 0; i < d; i++) mu[k][i] = 1.5 * r.nextGaussian();
            double[][] b = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) b[i][j] = r.nextGaussian();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int p = 0; p < d; p++) s += b[i][p] * b[j][p];
                    cov[k][i][j] = scale * s / d + (i == j ? floor : 0);
                }
            }
        }
        return new GaussianMixture(w, mu, cov);
    }

    /** A random m×d observation matrix with N(0, 1/d) entries. */
    public static double[][] randomMatrix(int m, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = new double[m][d];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) a[i][j] = r.nextGaussian() / Math.sqrt(d);
        return a;
    }

    /** TDS with defaults (systematic, ess 0.5, reference twist variance). */
    public static SamplerSpec.Tds tds(int k, int steps) {
        return new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.5, SamplerSpec.TwistVariance.REFERENCE, false);
    }
}
