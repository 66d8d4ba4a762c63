package dfl.runtime.mcmc;

import dfl.runtime.gmm.GaussianMixture;

/**
 * Moment checks of K independent draws against a mixture's exact mean and covariance. The z-score of each
 * statistic divides the error by its Monte Carlo standard error computed from the draws themselves (the
 * variance of x_i for a mean, of (x_i − m_i)(x_j − m_j) for a covariance entry), so it is N(0, 1)-like when the
 * draws come from the target.
 */
final class Moments {

    private Moments() {}

    /** The largest |z| over the mean and the covariance entries. */
    static double maxZ(double[] x, int d, GaussianMixture exact) {
        int k = x.length / d;
        double[] m = exact.mean();
        double[][] c = exact.covariance();
        double worst = 0;
        for (int i = 0; i < d; i++) {
            double s = 0, s2 = 0;
            for (int p = 0; p < k; p++) {
                double v = x[p * d + i] - m[i];
                s += v;
                s2 += v * v;
            }
            double mean = s / k, var = s2 / k - mean * mean;
            worst = Math.max(worst, Math.abs(mean) / Math.sqrt(var / k));
            for (int j = i; j < d; j++) {
                double a = 0, a2 = 0;
                for (int p = 0; p < k; p++) {
                    double v = (x[p * d + i] - m[i]) * (x[p * d + j] - m[j]);
                    a += v;
                    a2 += v * v;
                }
                double mc = a / k, vc = a2 / k - mc * mc;
                worst = Math.max(worst, Math.abs(mc - c[i][j]) / Math.sqrt(vc / k));
            }
        }
        return worst;
    }
}
