package dfl.runtime.exact;

import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.smc.LogSumExp;
import dfl.runtime.linalg.Dense;

/**
 * The exact posterior and evidence of a Gaussian-mixture prior under a linear-Gaussian observation
 * y = A x + b + e, e ~ N(0, diag(σ²)). Per component k: S_k = A Σ_k Aᵀ + diag(σ²),
 * Σ'_k = (Σ_k⁻¹ + Aᵀ D⁻¹ A)⁻¹, μ'_k = Σ'_k (Σ_k⁻¹ μ_k + Aᵀ D⁻¹ (y − b)), w'_k ∝ w_k N(y − b; A μ_k, S_k);
 * log p(y) = logsumexp_k (log w_k + log N(y − b; A μ_k, S_k)).
 *
 * @param posterior   the posterior mixture
 * @param logEvidence log p(y)
 */
public record LinearGaussianPosterior(GaussianMixture posterior, double logEvidence) {

    /** Posterior of {@code prior} given {@code y} = a·x + offset + noise with per-row std {@code sigma}. */
    public static LinearGaussianPosterior of(GaussianMixture prior, double[][] a, double[] offset, double[] y, double[] sigma) {
        int kc = prior.components(), d = prior.dimension(), m = y.length;
        if (a.length != m || a[0].length != d || sigma.length != m || offset.length != m) {
            throw new IllegalArgumentException("observation shapes do not match: A is " + a.length + "x" + a[0].length
                    + ", y has " + m + ", x has " + d);
        }
        double[] r = new double[m];
        for (int i = 0; i < m; i++) r[i] = y[i] - offset[i];
        double[][] at = Dense.transpose(a);
        double[][] atDinv = new double[d][m];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < m; j++) atDinv[i][j] = at[i][j] / (sigma[j] * sigma[j]);
        }
        double[][] atDinvA = Dense.mul(atDinv, a);
        double[] atDinvR = Dense.mul(atDinv, r);
        double[] logW = new double[kc];
        double[][] mu = new double[kc][];
        double[][][] cov = new double[kc][][];
        for (int k = 0; k < kc; k++) {
            double[][] sk = Dense.mul(Dense.mul(a, prior.covariances()[k]), at);
            for (int j = 0; j < m; j++) sk[j][j] += sigma[j] * sigma[j];
            Dense.Spd sf = Dense.spd(sk);
            double[] res = Dense.mul(a, prior.means()[k]);
            for (int j = 0; j < m; j++) res[j] = r[j] - res[j];
            logW[k] = StrictMath.log(prior.weights()[k]) - 0.5 * Dense.quad(sf.inverse(), res) - 0.5 * sf.logDet()
                    - 0.5 * m * StrictMath.log(2 * Math.PI);
            double[][] pk = Dense.spd(prior.covariances()[k]).inverse();
            double[][] prec = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) prec[i][j] = pk[i][j] + atDinvA[i][j];
            }
            cov[k] = Dense.spd(prec).inverse();
            double[] h = Dense.mul(pk, prior.means()[k]);
            for (int i = 0; i < d; i++) h[i] += atDinvR[i];
            mu[k] = Dense.mul(cov[k], h);
        }
        double logZ = LogSumExp.of(logW);
        double[] w = LogSumExp.normalise(logW);
        return new LinearGaussianPosterior(new GaussianMixture(w, mu, cov), logZ);
    }

    /** The same with one σ for every row and no offset. */
    public static LinearGaussianPosterior of(GaussianMixture prior, double[][] a, double[] y, double sigma) {
        double[] s = new double[y.length];
        java.util.Arrays.fill(s, sigma);
        return of(prior, a, new double[y.length], y, s);
    }
}
