package dfl.runtime.sampler;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.linalg.Dense;
import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.gmm.GaussianMixture;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;

/**
 * One exactly solvable conditional-sampling problem of the accuracy benchmark: a Gaussian-mixture prior and an
 * observation y = G(x) + N(0, σ² I), with y drawn from the model itself (x from the prior, then noise). For a linear G
 * the exact posterior is a mixture ({@link LinearGaussianPosterior}); for the nonlinear 2-D cases it comes from
 * quadrature on a fine grid ({@link Quadrature2d}). {@link #measure} scores a run against it.
 *
 * @param name       the family member and σ, e.g. {@code inpaint64 σ=0.02}
 * @param seed       the seed the prior, G and y were drawn from
 * @param prior      the prior mixture
 * @param likelihood the observation as the plan states it
 * @param exact      the exact posterior moments and log p(y)
 * @param mixture    the exact posterior mixture where G is linear (for the mode weights), else null
 */
record AccuracyCase(String name, long seed, GaussianMixture prior, SamplerPlan.Likelihood likelihood, Exact exact,
        GaussianMixture mixture) {

    /** Exact posterior mean, per-coordinate variance and log-evidence. */
    record Exact(double[] mean, double[] variance, double logEvidence) {}

    /** The kinds of linear observation operator in the family. */
    enum Operator { COORDINATES, PROJECTIONS, BANDED }

    /** The nonlinear 2-D observations. */
    enum Nonlinear { PRODUCT, SQUARE, NORM }

    /**
     * A d-dimensional random mixture of {@code components} full-covariance components, observed through {@code m} rows
     * of the given operator at noise σ, all drawn from {@code seed}.
     */
    static AccuracyCase of(String family, int d, int components, Operator op, int m, double sigma, long seed) {
        GaussianMixture prior = TestPlans.randomMixture(d, components, seed, 0.4, 0.1);
        double[][] a = switch (op) {
            case COORDINATES -> coordinates(d, m, seed);
            case PROJECTIONS -> TestPlans.randomMatrix(m, d, seed + 1);
            case BANDED -> banded(d, m);
        };
        SplittableRandom r = new SplittableRandom(seed + 2);
        double[] x = GmmAlgebra.sample(prior, 1, r)[0];
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) y[i] += a[i][j] * x[j];
            y[i] += sigma * r.nextGaussian();
        }
        LinearGaussianPosterior post = LinearGaussianPosterior.of(prior, a, y, sigma);
        double[][] cov = post.posterior().covariance();
        double[] var = new double[d];
        for (int j = 0; j < d; j++) var[j] = cov[j][j];
        return new AccuracyCase(name(family, sigma), seed, prior, TestPlans.linear(a, y, sigma),
                new Exact(post.posterior().mean(), var, post.logEvidence()), post.posterior());
    }

    /** A 2-D random mixture of {@code components} observed through a nonlinear G at noise σ; exact by quadrature. */
    static AccuracyCase nonlinear(String family, int components, Nonlinear g, double sigma, long seed) {
        GaussianMixture prior = TestPlans.randomMixture(2, components, seed, 0.4, 0.1);
        SplittableRandom r = new SplittableRandom(seed + 2);
        double[] x = GmmAlgebra.sample(prior, 1, r)[0];
        double y = apply(g, x[0], x[1]) + sigma * r.nextGaussian();
        TensorExpr latent = new TensorExpr.Latent(Shape.of(2));
        TensorExpr x1 = row(new double[] {1, 0}, latent), x2 = row(new double[] {0, 1}, latent);
        TensorExpr mean = switch (g) {
            case PRODUCT -> new TensorExpr.Binary(TensorExpr.Op.MUL, x1, x2, Shape.of(1));
            case SQUARE -> new TensorExpr.Binary(TensorExpr.Op.MUL, x1, x1, Shape.of(1));
            case NORM -> row(new double[] {1, 1}, new TensorExpr.Binary(TensorExpr.Op.MUL, latent, latent, Shape.of(2)));
        };
        SamplerPlan.Likelihood lik = new SamplerPlan.Likelihood(TestPlans.vector(new double[] {y}), mean, sigma, Span.NONE);
        Exact exact = Quadrature2d.posterior(prior, (a, b) -> apply(g, a, b), y, sigma);
        return new AccuracyCase(name(family, sigma), seed, prior, lik, exact, null);
    }

    private static TensorExpr row(double[] a, TensorExpr x) {
        return new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(new double[][] {a}), x, Shape.of(1));
    }

    static double apply(Nonlinear g, double a, double b) {
        return switch (g) {
            case PRODUCT -> a * b;
            case SQUARE -> a * a;
            case NORM -> a * a + b * b;
        };
    }

    private static String name(String family, double sigma) {
        return String.format(Locale.ROOT, "%s σ=%s", family, sigma);
    }

    /** m distinct coordinates of d, chosen at random. */
    static double[][] coordinates(int d, int m, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < d; j++) idx.add(j);
        java.util.Collections.shuffle(idx, new java.util.Random(seed));
        double[][] a = new double[m][d];
        for (int i = 0; i < m; i++) a[i][idx.get(i)] = 1;
        return a;
    }

    /** A blur-like operator: row i averages coordinates i·d/m − 1 .. i·d/m + 1 with weights ¼, ½, ¼. */
    static double[][] banded(int d, int m) {
        double[][] a = new double[m][d];
        for (int i = 0; i < m; i++) {
            int c = i * d / m;
            a[i][c] = 0.5;
            if (c > 0) a[i][c - 1] = 0.25;
            if (c + 1 < d) a[i][c + 1] = 0.25;
        }
        return a;
    }

    /** The plan of this problem with the given sampler. */
    SamplerPlan plan(SamplerSpec sampler) {
        return TestPlans.plan(prior, List.of(likelihood), sampler);
    }

    /** How far one run is from the exact answer; modeError is NaN where the posterior has no mixture form. */
    record Score(double meanError, double varianceError, double modeError, double logZError, double minEss,
            double finalEssBefore, int distinct, long networkCalls, double seconds) {}

    /**
     * Scores {@code r}: mean error = RMS over coordinates of (weighted mean − exact mean)/exact s.d.; variance error =
     * RMS of (weighted variance / exact variance − 1); mode error = total variation between the exact posterior component
     * weights and the weighted shares of samples assigned to their most responsible exact component; log Ẑ − log p(y);
     * the smallest ESS before a step; ESS before the last step; distinct output particles.
     */
    Score measure(RunResult r) {
        double[] m = r.weightedMean();
        double[][] c = r.weightedCovariance();
        int d = m.length;
        double me = 0, ve = 0;
        for (int j = 0; j < d; j++) {
            me += (m[j] - exact.mean()[j]) * (m[j] - exact.mean()[j]) / exact.variance()[j];
            ve += (c[j][j] / exact.variance()[j] - 1) * (c[j][j] / exact.variance()[j] - 1);
        }
        double minEss = Double.POSITIVE_INFINITY;
        for (StepStats s : r.stats()) minEss = Math.min(minEss, s.essBefore());
        double lastEss = r.stats().isEmpty() ? Double.NaN : r.stats().get(r.stats().size() - 1).essBefore();
        return new Score(Math.sqrt(me / d), Math.sqrt(ve / d), modeError(r), r.logEvidence() - exact.logEvidence(), minEss,
                lastEss, distinct(r), r.networkCalls(), r.seconds());
    }

    private double modeError(RunResult r) {
        if (mixture == null) return Double.NaN;
        double[] share = new double[mixture.components()];
        double[] w = r.weights();
        Dense.Spd[] f = new Dense.Spd[mixture.components()];
        for (int k = 0; k < f.length; k++) f[k] = Dense.spd(mixture.covariances()[k]);
        for (int p = 0; p < w.length; p++) share[mostResponsible(mixture, f, toDouble(r.samples()[p]))] += w[p];
        double tv = 0;
        for (int k = 0; k < share.length; k++) tv += Math.abs(share[k] - mixture.weights()[k]);
        return tv / 2;
    }

    /** The component of {@code g} (factorised as {@code f}) with the largest responsibility for x. */
    static int mostResponsible(GaussianMixture g, Dense.Spd[] f, double[] x) {
        int best = 0;
        double bestLog = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < f.length; k++) {
            double[] r = x.clone();
            for (int j = 0; j < r.length; j++) r[j] -= g.means()[k][j];
            double l = Math.log(g.weights()[k]) - 0.5 * f[k].logDet() - 0.5 * Dense.quad(f[k].inverse(), r);
            if (l > bestLog) {
                bestLog = l;
                best = k;
            }
        }
        return best;
    }

    static double[] toDouble(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) out[i] = f[i];
        return out;
    }

    /** Distinct sample rows with non-zero weight. */
    static int distinct(RunResult r) {
        java.util.Set<List<Float>> seen = new java.util.HashSet<>();
        for (int p = 0; p < r.particles(); p++) {
            if (r.logWeights()[p] == Double.NEGATIVE_INFINITY) continue;
            List<Float> row = new ArrayList<>();
            for (float v : r.samples()[p]) row.add(v);
            seen.add(row);
        }
        return seen.size();
    }
}
