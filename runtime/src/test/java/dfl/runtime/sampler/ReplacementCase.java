package dfl.runtime.sampler;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.smc.LogSumExp;
import dfl.source.Span;
import java.util.Arrays;
import java.util.List;
import dfl.runtime.run.RunResult;

/**
 * The masked-observation case of the replacement tests and bench: a 3-component Gaussian mixture in 8 dimensions, the
 * first half of the coordinates observed through a 0/1 mask at σ = 0.02, the observed values half-way between two
 * components' means so that both modes keep posterior weight. The compared statistics are E[x_U | y] (the unobserved
 * half) and the posterior weight of each mode, estimated as the weighted mean of the exact posterior's
 * responsibilities (their posterior expectation is exactly the mode weight).
 */
public final class ReplacementCase {

    static final int D = 8;
    static final int OBSERVED = 4;
    static final double SIGMA = 0.02;

    private ReplacementCase() {}

    static GaussianMixture prior() {
        return TestPlans.randomMixture(D, 3, 11, 0.4, 0.3);
    }

    /** The plan with {@code observe y ~ Normal(M * x, 0.02)} and the given sampler. */
    public static SamplerPlan plan(SamplerSpec sampler) {
        GaussianMixture g = prior();
        double[] mask = new double[D];
        double[] y = new double[D];
        for (int j = 0; j < OBSERVED; j++) {
            mask[j] = 1;
            y[j] = 0.5 * (g.means()[0][j] + g.means()[1][j]);
        }
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MUL, TestPlans.vector(mask), new TensorExpr.Latent(Shape.of(D)),
                Shape.of(D));
        return TestPlans.plan(g, List.of(new SamplerPlan.Likelihood(TestPlans.vector(y), mean, SIGMA, Span.NONE)), sampler);
    }

    /** tds(variant = "replacement") with systematic resampling at the given ESS fraction. */
    public static SamplerSpec.Tds replacement(int k, int steps, double ess) {
        return new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, ess, SamplerSpec.TwistVariance.TWEEDIE, true);
    }

    /** The statistics of one run: weighted E[x_U], then each mode's weight; {@code ignoreWeights} averages uniformly. */
    public static double[] statistics(RunResult res, boolean ignoreWeights, GaussianMixture post) {
        double[] w = ignoreWeights ? uniform(res.particles()) : res.weights();
        double[] s = new double[D - OBSERVED + post.components()];
        for (int p = 0; p < res.particles(); p++) {
            double[] x = new double[D];
            for (int j = 0; j < D; j++) x[j] = res.samples()[p][j];
            for (int j = OBSERVED; j < D; j++) s[j - OBSERVED] += w[p] * x[j];
            double[] resp = responsibilities(post, x);
            for (int c = 0; c < resp.length; c++) s[D - OBSERVED + c] += w[p] * resp[c];
        }
        return s;
    }

    /** The exact values of {@link #statistics}. */
    public static double[] truth(GaussianMixture post) {
        double[] t = new double[D - OBSERVED + post.components()];
        double[] m = post.mean();
        for (int j = OBSERVED; j < D; j++) t[j - OBSERVED] = m[j];
        for (int c = 0; c < post.components(); c++) t[D - OBSERVED + c] = post.weights()[c];
        return t;
    }

    /** Σ_j (avg_j − truth_j)² / Σ_j SE_j² over runs: the squared distance in standard errors (3-SE rule: ≤ 9). */
    public static double z2(double[][] runs, double[] truth) {
        double num = 0, den = 0;
        for (int j = 0; j < truth.length; j++) {
            double[] col = new double[runs.length];
            for (int r = 0; r < runs.length; r++) col[r] = runs[r][j];
            num += (avg(col) - truth[j]) * (avg(col) - truth[j]);
            den += var(col) / col.length;
        }
        return num / den;
    }

    static double[] responsibilities(GaussianMixture g, double[] x) {
        double[] l = new double[g.components()];
        for (int c = 0; c < l.length; c++) {
            GaussianMixture one = new GaussianMixture(new double[] {1}, new double[][] {g.means()[c]},
                    new double[][][] {g.covariances()[c]});
            l[c] = Math.log(g.weights()[c]) + one.logDensity(x);
        }
        return LogSumExp.normalise(l);
    }

    static double[] uniform(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0 / n);
        return w;
    }
}
