package dfl.runtime.sampler;

import dfl.runtime.rng.ParticleStreams;

/**
 * The proposal of second-order TDS: the reverse step N(μ, v I) (μ tilted by the factors' gradient) conditioned on the
 * linearised twist y ≈ G(x̂0(x_t)) + M (x' − x_t) + N(0, S), which is Gaussian:
 * Σ_q = (I/v + Mᵀ S⁻¹ M)⁻¹, μ_q = μ + v Mᵀ B⁻¹ (r − M (μ − x_t)) with B = S + v M Mᵀ (Woodbury, so only m × m
 * matrices are factorised). A draw uses Matheron's rule: x̃ ~ N(μ, v I), ỹ = G + M (x̃ − x_t) + S^½ w,
 * x' = x̃ + v Mᵀ B⁻¹ (y − ỹ). Unlike the first-order tilt μ + v∇, it cannot overshoot when σ² is below v.
 */
final class ConditionalProposal {

    /** The proposed particles [K·d] and log p(x' | x_t) − log q(x' | x_t, y) per particle. */
    record Draw(double[] next, double[] logRatio) {}

    private ConditionalProposal() {}

    /**
     * @param x     the particles x_t [K·d]
     * @param muP   the untwisted reverse mean [K·d]
     * @param v     the step's variance β̃
     * @param lin   the linearised twist at x_t
     */
    static Draw draw(double[] x, double[] muP, double v, LinearisedTwist lin, ParticleStreams streams, int k) {
        int d = lin.d(), m = lin.m();
        double[] z = new double[k * d], w = new double[k * m];
        streams.fillNormal(z, d);
        streams.fillNormal(w, m);
        double[] next = new double[k * d], logRatio = new double[k];
        double sv = Math.sqrt(v);
        for (int p = 0; p < k; p++) {
            int xo = p * d, mo = p * m * d;
            double[] rows = lin.rows();
            double[] mu = new double[d];
            for (int j = 0; j < d; j++) mu[j] = muP[xo + j] + v * lin.factorGrad()[xo + j];
            double[] b = new double[m * m];
            for (int r = 0; r < m; r++) {
                for (int s = 0; s <= r; s++) {
                    double a = 0;
                    for (int j = 0; j < d; j++) a += rows[mo + r * d + j] * rows[mo + s * d + j];
                    double val = lin.covariance()[p * m * m + r * m + s] + v * a;
                    b[r * m + s] = val;
                    b[s * m + r] = val;
                }
            }
            double[] lb = SmallSpd.cholesky(b, 0, m);
            double[] ls = SmallSpd.cholesky(lin.covariance(), p * m * m, m);
            double[] noiseY = SmallSpd.lowerTimes(ls, m, w, p * m);
            double[] xt = new double[d];
            for (int j = 0; j < d; j++) xt[j] = mu[j] + sv * z[xo + j];
            // innovations of the draw (y − ỹ) and of the mean
            double[] innov = new double[m], innovMean = new double[m];
            for (int r = 0; r < m; r++) {
                double mDraw = 0, mMean = 0;
                for (int j = 0; j < d; j++) {
                    double row = rows[mo + r * d + j];
                    mDraw += row * (xt[j] - x[xo + j]);
                    mMean += row * (mu[j] - x[xo + j]);
                }
                double res = lin.residual()[p * m + r];
                innov[r] = res - mDraw - noiseY[r];
                innovMean[r] = res - mMean;
            }
            double[] gDraw = SmallSpd.solve(lb, m, innov), gMean = SmallSpd.solve(lb, m, innovMean);
            double[] delta = new double[d];
            double dp = 0, dq = 0;
            for (int j = 0; j < d; j++) {
                double cDraw = 0, cMean = 0;
                for (int r = 0; r < m; r++) {
                    double row = rows[mo + r * d + j];
                    cDraw += row * gDraw[r];
                    cMean += row * gMean[r];
                }
                double xn = xt[j] + v * cDraw;
                next[xo + j] = xn;
                delta[j] = xn - (mu[j] + v * cMean);
                double e = xn - muP[xo + j];
                dp += e * e;
                dq += delta[j] * delta[j];
            }
            double[] mDelta = new double[m];
            for (int r = 0; r < m; r++) {
                double a = 0;
                for (int j = 0; j < d; j++) a += rows[mo + r * d + j] * delta[j];
                mDelta[r] = a;
            }
            double[] sInv = SmallSpd.solve(ls, m, mDelta);
            double quadS = 0;
            for (int r = 0; r < m; r++) quadS += mDelta[r] * sInv[r];
            // log N(x'; μP, vI) − log N(x'; μq, Σq), with log|Σq| = d log v + log|S| − log|B|
            logRatio[p] = -dp / (2 * v) + 0.5 * (dq / v + quadS) + 0.5 * (SmallSpd.logDet(ls, m) - SmallSpd.logDet(lb, m));
        }
        return new Draw(next, logRatio);
    }
}
