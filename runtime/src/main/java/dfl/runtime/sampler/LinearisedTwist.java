package dfl.runtime.sampler;

/**
 * The observation rows of a twist linearised at x_t, per particle: with m rows in all (every likelihood's elements
 * stacked), {@code rows} [K·m·d] holds ∂G_r(x̂0(x_t))/∂x_t (row r of J_G ∂x̂0/∂x_t, one vector-Jacobian product each),
 * {@code residual} [K·m] is y − G(x̂0(x_t)), and {@code covariance} [K·m·m] the twist's covariance
 * S = diag(σ²) + J_G Cov[x0 | x_t] J_Gᵀ with the second-order Tweedie covariance Cov = (1−ᾱ)/√ᾱ · ∂x̂0/∂x_t.
 *
 * @param m          observed rows
 * @param d          latent elements
 * @param rows       M = ∂G(x̂0)/∂x_t per particle, [K·m·d]
 * @param residual   y − G(x̂0), [K·m]
 * @param covariance S, [K·m·m], symmetric positive definite
 * @param factorGrad the gradient of the factor terms (γ log f(x̂0)) alone, [K·d]: the proposal tilts by it and
 *                   conditions on the rows
 */
record LinearisedTwist(int m, int d, double[] rows, double[] residual, double[] covariance, double[] factorGrad) {

    LinearisedTwist gather(int[] anc) {
        return new LinearisedTwist(m, d, SamplerBase.gather(rows, anc, m * d), SamplerBase.gather(residual, anc, m),
                SamplerBase.gather(covariance, anc, m * m), SamplerBase.gather(factorGrad, anc, d));
    }
}
