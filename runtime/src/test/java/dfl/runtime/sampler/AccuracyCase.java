package dfl.runtime.sampler;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.gmm.GaussianMixture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One exactly solvable conditional-sampling problem of the accuracy benchmark: a Gaussian-mixture prior, a linear
 * observation y = A x + N(0, σ² I) with y drawn from the model itself (x from the prior, then noise), and the exact
 * posterior mixture and evidence. {@link #measure} scores a run against it.
 *
 * @param name  the family member, e.g. {@code inpaint64 σ=0.02}
 * @param seed  the seed the prior, A and y were drawn from
 * @param prior the prior mixture
 * @param a     the observation matrix
 * @param y     the observation
 * @param sigma the observation noise s.d.
 * @param exact the exact posterior and log p(y)
 */
record AccuracyCase(String name, long seed, GaussianMixture prior, double[][] a, double[] y, double sigma,
        LinearGaussianPosterior exact) {

    /** The kinds of observation operator in the family. */
    enum Operator { COORDINATES, PROJECTIONS, BANDED }

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
        double[] x = draw(prior, r);
        double[] y = new double[m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) y[i] += a[i][j] * x[j];
            y[i] += sigma * r.nextGaussian();
        }
        String name = String.format(java.util.Locale.ROOT, "%s σ=%s", family, sigma);
        return new AccuracyCase(name, seed, prior, a, y, sigma, LinearGaussianPosterior.of(prior, a, y, sigma));
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

    /** One exact draw from a mixture. */
    static double[] draw(GaussianMixture g, SplittableRandom r) {
        double u = r.nextDouble(), acc = 0;
        int k = 0;
        while (k < g.components() - 1 && (acc += g.weights()[k]) < u) k++;
        double[][] l = dfl.runtime.exact.Dense.spd(g.covariances()[k]).lower();
        int d = g.dimension();
        double[] z = new double[d];
        for (int j = 0; j < d; j++) z[j] = r.nextGaussian();
        double[] x = g.means()[k].clone();
        for (int i = 0; i < d; i++) for (int j = 0; j <= i; j++) x[i] += l[i][j] * z[j];
        return x;
    }

    /** The plan of this problem with the given sampler. */
    SamplerPlan plan(SamplerSpec sampler) {
        return TestPlans.plan(prior, List.of(TestPlans.linear(a, y, sigma)), sampler);
    }

    /** How far one run is from the exact answer. */
    record Score(double meanError, double varianceError, double modeError, double logZError, double minEss,
            double finalEssBefore, int distinct, long networkCalls, double seconds) {}

    /**
     * Scores {@code r}: mean error = RMS over coordinates of (weighted mean − exact mean)/exact s.d.; variance error =
     * RMS of (weighted variance / exact variance − 1); mode error = total variation between the exact posterior component
     * weights and the weighted shares of samples assigned to their most responsible exact component; |Δ log Z|; the
     * smallest ESS before a step; ESS before the last step; distinct output particles.
     */
    Score measure(RunResult r) {
        GaussianMixture post = exact.posterior();
        double[] mean = post.mean();
        double[][] cov = post.covariance();
        double[] m = r.weightedMean();
        double[][] c = r.weightedCovariance();
        int d = mean.length;
        double me = 0, ve = 0;
        for (int j = 0; j < d; j++) {
            me += (m[j] - mean[j]) * (m[j] - mean[j]) / cov[j][j];
            ve += (c[j][j] / cov[j][j] - 1) * (c[j][j] / cov[j][j] - 1);
        }
        double[] share = new double[post.components()];
        double[] w = r.weights();
        dfl.runtime.exact.Dense.Spd[] f = new dfl.runtime.exact.Dense.Spd[post.components()];
        for (int k = 0; k < f.length; k++) f[k] = dfl.runtime.exact.Dense.spd(post.covariances()[k]);
        for (int p = 0; p < w.length; p++) share[mostResponsible(post, f, toDouble(r.samples()[p]))] += w[p];
        double tv = 0;
        for (int k = 0; k < share.length; k++) tv += Math.abs(share[k] - post.weights()[k]);
        double minEss = Double.POSITIVE_INFINITY;
        for (StepStats s : r.stats()) minEss = Math.min(minEss, s.essBefore());
        double lastEss = r.stats().isEmpty() ? Double.NaN : r.stats().get(r.stats().size() - 1).essBefore();
        return new Score(Math.sqrt(me / d), Math.sqrt(ve / d), tv / 2, r.logEvidence() - exact.logEvidence(), minEss,
                lastEss, distinct(r), r.networkCalls(), r.seconds());
    }

    /** The component of {@code g} (factorised as {@code f}) with the largest responsibility for x. */
    static int mostResponsible(GaussianMixture g, dfl.runtime.exact.Dense.Spd[] f, double[] x) {
        int best = 0;
        double bestLog = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < f.length; k++) {
            double[] r = x.clone();
            for (int j = 0; j < r.length; j++) r[j] -= g.means()[k][j];
            double l = Math.log(g.weights()[k]) - 0.5 * f[k].logDet() - 0.5 * dfl.runtime.exact.Dense.quad(f[k].inverse(), r);
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
        java.util.Set<java.util.List<Float>> seen = new java.util.HashSet<>();
        for (int p = 0; p < r.particles(); p++) {
            if (r.logWeights()[p] == Double.NEGATIVE_INFINITY) continue;
            List<Float> row = new ArrayList<>();
            for (float v : r.samples()[p]) row.add(v);
            seen.add(row);
        }
        return seen.size();
    }
}
