package dfl.runtime.sampler;

/**
 * The Java half of a second-order twist: from the rows M = ∂G(x̂0)/∂x_t, J_G at x̂0 and the residuals, the twist's
 * covariance S = diag(σ²) + c·M J_Gᵀ (c = (1−ᾱ)/√ᾱ; symmetrised), its log-density log N(y; G(x̂0), S) and its gradient
 * Mᵀ S⁻¹ (y − G(x̂0)) with S held fixed. Where S is not positive definite (a learned network's Jacobian need not be
 * symmetric positive semi-definite) the off-diagonal part is dropped and the diagonal floored at σ².
 */
final class SecondOrderTwists {

    private SecondOrderTwists() {}

    static Evaluation assemble(int k, int d, int mt, double c, double[] eps, double[] rows, double[] jg, double[] pred,
            double[] y, double[] noise, double[] factorObj, double[] factorGrad) {
        double[] cov = new double[k * mt * mt];
        double[] resid = new double[k * mt];
        double[] obj = new double[k];
        double[] grad = factorGrad.clone();
        double log2pi = Math.log(2 * Math.PI);
        for (int p = 0; p < k; p++) {
            int base = p * mt * mt;
            for (int r = 0; r < mt; r++) {
                for (int s = 0; s <= r; s++) {
                    double a = 0, b = 0;
                    int mr = (p * mt + r) * d, ms = (p * mt + s) * d;
                    for (int j = 0; j < d; j++) {
                        a += rows[mr + j] * jg[ms + j];
                        b += rows[ms + j] * jg[mr + j];
                    }
                    double v = 0.5 * c * (a + b) + (r == s ? noise[r] : 0);
                    cov[base + r * mt + s] = v;
                    cov[base + s * mt + r] = v;
                }
                resid[p * mt + r] = y[r] - pred[p * mt + r];
            }
            double[] l = SmallSpd.cholesky(cov, base, mt);
            if (l == null) {
                for (int r = 0; r < mt; r++) {
                    for (int s = 0; s < mt; s++) {
                        int i = base + r * mt + s;
                        cov[i] = r == s ? Math.max(cov[i], noise[r]) : 0;
                    }
                }
                l = SmallSpd.cholesky(cov, base, mt);
            }
            double[] rp = java.util.Arrays.copyOfRange(resid, p * mt, (p + 1) * mt);
            double[] sInvR = SmallSpd.solve(l, mt, rp);
            double quad = 0;
            for (int r = 0; r < mt; r++) quad += rp[r] * sInvR[r];
            obj[p] = factorObj[p] - 0.5 * quad - 0.5 * SmallSpd.logDet(l, mt) - 0.5 * mt * log2pi;
            for (int r = 0; r < mt; r++) {
                int mr = (p * mt + r) * d;
                for (int j = 0; j < d; j++) grad[p * d + j] += sInvR[r] * rows[mr + j];
            }
        }
        return new Evaluation(eps, obj, grad, new LinearisedTwist(mt, d, rows, resid, cov, factorGrad));
    }
}
