package dfl.runtime.sampler;

import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.smc.LogSumExp;
import java.util.function.DoubleBinaryOperator;

/**
 * The exact posterior of a 2-D Gaussian-mixture prior under an observation with log-likelihood ℓ(x), by the midpoint
 * rule on a grid that covers every prior component to ±8 s.d. For y = g(x) + N(0, σ²) the cells are at most σ/20
 * divided by the largest |∇g| over the box (capped at 4,000 cells a side); other likelihoods give their cell size. The
 * integrand is smooth, so the rule's error is far below the samplers' Monte Carlo error.
 */
final class Quadrature2d {

    private Quadrature2d() {}

    /** A log-likelihood of the 2-D latent (independent Java code, not the runtime's). */
    interface LogLikelihood {
        double at(double x0, double x1);
    }

    static AccuracyCase.Exact posterior(GaussianMixture prior, DoubleBinaryOperator g, double y, double sigma) {
        double[] box = box(prior);
        double reach = Math.max(Math.max(Math.abs(box[0]), Math.abs(box[1])), Math.max(Math.abs(box[2]), Math.abs(box[3])));
        double h = Math.max(sigma / 20 / (2 * reach + 1e-9), Math.max(box[1] - box[0], box[3] - box[2]) / 4000);
        return posterior(prior, (a, b) -> {
            double r = y - g.applyAsDouble(a, b);
            return -0.5 * r * r / (sigma * sigma) - 0.5 * Math.log(2 * Math.PI * sigma * sigma);
        }, h);
    }

    /** {lo0, hi0, lo1, hi1}: every component to ±8 s.d. */
    private static double[] box(GaussianMixture prior) {
        double lo0 = Double.POSITIVE_INFINITY, hi0 = Double.NEGATIVE_INFINITY, lo1 = lo0, hi1 = hi0;
        for (int k = 0; k < prior.components(); k++) {
            double s0 = 8 * Math.sqrt(prior.covariances()[k][0][0]), s1 = 8 * Math.sqrt(prior.covariances()[k][1][1]);
            lo0 = Math.min(lo0, prior.means()[k][0] - s0);
            hi0 = Math.max(hi0, prior.means()[k][0] + s0);
            lo1 = Math.min(lo1, prior.means()[k][1] - s1);
            hi1 = Math.max(hi1, prior.means()[k][1] + s1);
        }
        return new double[] {lo0, hi0, lo1, hi1};
    }

    /** The posterior of {@code prior} times exp(ℓ) on cells of side {@code h} (at most 4,000 a side). */
    static AccuracyCase.Exact posterior(GaussianMixture prior, LogLikelihood logLik, double h) {
        double[] box = box(prior);
        double lo0 = box[0], lo1 = box[2];
        h = Math.max(h, Math.max(box[1] - box[0], box[3] - box[2]) / 4000);
        int n0 = (int) Math.ceil((box[1] - lo0) / h), n1 = (int) Math.ceil((box[3] - lo1) / h);
        java.util.function.ToDoubleFunction<double[]> logPrior = prior.logDensityFunction();
        double[] logCell = new double[n0 * n1];
        double[] pt = new double[2];
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n1; j++) {
                pt[0] = lo0 + (i + 0.5) * h;
                pt[1] = lo1 + (j + 0.5) * h;
                logCell[i * n1 + j] = logPrior.applyAsDouble(pt) + logLik.at(pt[0], pt[1]);
            }
        }
        double logZ = LogSumExp.of(logCell) + 2 * Math.log(h);
        double[] w = LogSumExp.normalise(logCell);
        double m0 = 0, m1 = 0, q0 = 0, q1 = 0;
        for (int i = 0; i < n0; i++) {
            for (int j = 0; j < n1; j++) {
                double p = w[i * n1 + j], a = lo0 + (i + 0.5) * h, b = lo1 + (j + 0.5) * h;
                m0 += p * a;
                m1 += p * b;
                q0 += p * a * a;
                q1 += p * b * b;
            }
        }
        return new AccuracyCase.Exact(new double[] {m0, m1}, new double[] {q0 - m0 * m0, q1 - m1 * m1}, logZ);
    }
}
