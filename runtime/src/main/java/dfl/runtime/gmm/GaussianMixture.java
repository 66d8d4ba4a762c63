package dfl.runtime.gmm;

import dfl.plan.ModelRef;
import dfl.runtime.linalg.Dense;
import java.util.List;

/**
 * A Gaussian mixture Σ_k w_k N(μ_k, Σ_k) in d dimensions with full covariances, in plain Java arrays.
 * Under VP noising x_t = √ᾱ x_0 + √(1−ᾱ) ε it stays a mixture: means √ᾱ μ_k, covariances ᾱΣ_k + (1−ᾱ)I
 * ({@link #noised}).
 */
public record GaussianMixture(double[] weights, double[][] means, double[][][] covariances) {

    /** Validates shapes and normalises the weights. */
    public GaussianMixture {
        int k = weights.length;
        if (k == 0 || means.length != k || covariances.length != k) {
            throw new IllegalArgumentException("mixture needs the same positive number of weights, means and covariances");
        }
        int d = means[0].length;
        double s = 0;
        for (int i = 0; i < k; i++) {
            if (means[i].length != d || covariances[i].length != d) {
                throw new IllegalArgumentException("component " + i + " has the wrong dimension");
            }
            if (!(weights[i] >= 0)) throw new IllegalArgumentException("negative mixture weight");
            s += weights[i];
        }
        double[] w = new double[k];
        for (int i = 0; i < k; i++) w[i] = weights[i] / s;
        weights = w;
    }

    /** The mixture of a plan's {@code gmm(...)} prior. */
    public static GaussianMixture of(ModelRef.Gmm g) {
        int k = g.components();
        double[] w = new double[k];
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = g.weights().get(i);
            mu[i] = toArray(g.means().get(i));
            List<List<Double>> c = g.covariances().get(i);
            cov[i] = new double[c.size()][];
            for (int r = 0; r < c.size(); r++) cov[i][r] = toArray(c.get(r));
        }
        return new GaussianMixture(w, mu, cov);
    }

    private static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Dimension d. */
    /** [lo, hi] over every coordinate: the components' means ± 6 standard deviations (from the covariances' diagonals). */
    public double[] range() {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < means.length; k++) {
            for (int j = 0; j < means[k].length; j++) {
                double s = 6 * Math.sqrt(covariances[k][j][j]);
                lo = Math.min(lo, means[k][j] - s);
                hi = Math.max(hi, means[k][j] + s);
            }
        }
        return new double[] {lo, hi};
    }

    public int dimension() {
        return means[0].length;
    }

    /** Number of components. */
    public int components() {
        return weights.length;
    }

    /** The distribution of x_t = √ᾱ x_0 + √(1−ᾱ) ε. */
    public GaussianMixture noised(double alphaBar) {
        int k = components(), d = dimension();
        double sa = Math.sqrt(alphaBar);
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                mu[c][i] = sa * means[c][i];
                for (int j = 0; j < d; j++) cov[c][i][j] = alphaBar * covariances[c][i][j] + (i == j ? 1 - alphaBar : 0);
            }
        }
        return new GaussianMixture(weights, mu, cov);
    }

    /** Exact log-density at one point (Java, for references and tests). */
    public double logDensity(double[] x) {
        return logDensityFunction().applyAsDouble(x);
    }

    /** The exact log-density with the components factorised once, for many evaluations. */
    public java.util.function.ToDoubleFunction<double[]> logDensityFunction() {
        int k = components(), d = dimension();
        double[][][] prec = new double[k][][];
        double[] norm = new double[k];
        for (int c = 0; c < k; c++) {
            Dense.Spd f = Dense.spd(covariances[c]);
            prec[c] = f.inverse();
            norm[c] = StrictMath.log(weights[c]) - 0.5 * f.logDet() - 0.5 * d * StrictMath.log(2 * Math.PI);
        }
        return x -> {
            double[] terms = new double[k];
            double[] diff = new double[d];
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < d; i++) diff[i] = x[i] - means[c][i];
                terms[c] = norm[c] - 0.5 * Dense.quad(prec[c], diff);
            }
            return dfl.runtime.smc.LogSumExp.of(terms);
        };
    }

    /** Mixture mean Σ w_k μ_k. */
    public double[] mean() {
        double[] m = new double[dimension()];
        for (int c = 0; c < components(); c++) {
            for (int i = 0; i < m.length; i++) m[i] += weights[c] * means[c][i];
        }
        return m;
    }

    /** Mixture covariance Σ w_k (Σ_k + μ_k μ_kᵀ) − m mᵀ. */
    public double[][] covariance() {
        int d = dimension();
        double[] m = mean();
        double[][] s = new double[d][d];
        for (int c = 0; c < components(); c++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    s[i][j] += weights[c] * (covariances[c][i][j] + means[c][i] * means[c][j]);
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) s[i][j] -= m[i] * m[j];
        }
        return s;
    }
}
