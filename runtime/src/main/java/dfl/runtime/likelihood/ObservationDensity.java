package dfl.runtime.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import dfl.plan.LikelihoodFamily;
import dfl.runtime.model.Scalars;

/**
 * The batched, differentiable log-density Σ_j log p(y_j | θ_j) of one observation, per particle, for θ [K, n] (the
 * family's parameter at every particle, in the autograd graph) and constant data y [1, n] (with its values yv).
 *
 * <p>{@link #twist} builds the density a sampler uses at noise level t from the program's family and the variance
 * inflation extra_t of {@link TwistVariances}: the uncertainty of x̂0 about x0 widens the twist p̃_t(y | x_t) =
 * p(y | θ(x̂0(x_t))) where the family can say how (extra = 0 is the family itself):
 * <ul>
 *   <li>Normal(σ): N(θ, σ² + extra), the Gaussian convolution (TDS's own twist);</li>
 *   <li>Laplace(b): Laplace(θ, b_t) with 2b_t² = 2b² + extra, the same family with its variance grown by extra;</li>
 *   <li>StudentT(σ, ν): t_ν(θ, σ_t) with σ_t² = σ² + extra: the squared scale grows like Normal's σ² (as ν → ∞ this
 *       is Normal's twist; matching the variance σ²ν/(ν − 2) instead is undefined for ν ≤ 2);</li>
 *   <li>Poisson: the rate is uncertain; a Gamma rate with mean θ and squared coefficient of variation extra (the
 *       delta-method variance of exp(G) when G's error has variance extra) gives the negative binomial with mean θ,
 *       variance θ + extra·θ², shape r = 1/extra;</li>
 *   <li>Bernoulli: logits θ + N(0, extra) give P(y = 1) = E sigmoid ≈ sigmoid(θ/√(1 + π·extra/8)) (MacKay's probit
 *       approximation), a Bernoulli with shrunk logits.</li>
 * </ul>
 * Any twist leaves TDS consistent (its weights correct the proposal exactly; the last step uses the exact family); the
 * inflation only decides how well the proposal and weights are matched.
 *
 * <p>Normal works in θ's data type (the latent's, as before); the others are evaluated in float64, so that counts and
 * large shapes keep their precision.
 */
sealed interface ObservationDensity {

    /** Σ_j log p(y_j | θ_j) per row of θ [K, n]: [K]. */
    NDArray logDensity(NDArray theta, NDArray y, double[] yv);

    /** Σ_j max over θ_j of log p(y_j | θ_j): the saturated model, for the deviance. */
    double logSaturated(double[] yv);

    /**
     * DPS's guidance distance per particle: the square root of the deviance D = 2(log p_sat − log p(y | θ)), which for a
     * Normal is ‖y − θ‖/σ (Normal itself keeps DPS's ‖y − θ‖).
     */
    default NDArray dpsNorm(NDArray theta, NDArray y, double[] yv) {
        NDArray dev = Scalars.mul(Scalars.sub(logDensity(theta, y, yv), logSaturated(yv)), -2.0);
        return Scalars.add(dev.maximum(Scalars.of(dev, 0.0)), 1e-30).sqrt();
    }

    /** The data type the density is computed in, given the latent's. */
    default ai.djl.ndarray.types.DataType dataType(ai.djl.ndarray.types.DataType latent) {
        return ai.djl.ndarray.types.DataType.FLOAT64;
    }

    /** The density at inflation {@code extra} ≥ 0 (0: the program's own family). */
    static ObservationDensity twist(LikelihoodFamily family, double extra) {
        if (family instanceof LikelihoodFamily.Normal n) return new Gaussian(n.sigma() * n.sigma() + extra);
        if (family instanceof LikelihoodFamily.Laplace l) return new Laplace(Math.sqrt(l.scale() * l.scale() + extra / 2));
        if (family instanceof LikelihoodFamily.StudentT t) return new StudentT(Math.sqrt(t.scale() * t.scale() + extra), t.dof());
        if (family instanceof LikelihoodFamily.Poisson) return extra > 0 ? new NegativeBinomial(1 / extra) : new Poisson();
        return new Bernoulli(1 / Math.sqrt(1 + Math.PI * extra / 8));
    }

    /** N(θ, variance) per element; computed in θ's data type (the latent's). */
    record Gaussian(double variance) implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            NDArray sq = theta.sub(y).square().sum(new int[] {1});
            return Scalars.sub(Scalars.mul(sq, -0.5 / variance), 0.5 * yv.length * StrictMath.log(2 * Math.PI * variance));
        }

        public double logSaturated(double[] yv) {
            return -0.5 * yv.length * StrictMath.log(2 * Math.PI * variance);
        }

        /** DPS's ‖y − θ‖ (the tiny offset keeps the gradient finite when a particle fits the data exactly). */
        public NDArray dpsNorm(NDArray theta, NDArray y, double[] yv) {
            return Scalars.add(theta.sub(y).square().sum(new int[] {1}), 1e-30).sqrt();
        }

        public ai.djl.ndarray.types.DataType dataType(ai.djl.ndarray.types.DataType latent) {
            return latent;
        }
    }

    /** exp(−|y − θ|/b)/(2b) per element. */
    record Laplace(double b) implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            return Scalars.sub(Scalars.mul(theta.sub(y).abs().sum(new int[] {1}), -1 / b), yv.length * Math.log(2 * b));
        }

        public double logSaturated(double[] yv) {
            return -yv.length * Math.log(2 * b);
        }
    }

    /** Student's t with location θ, scale σ and ν degrees of freedom, per element. */
    record StudentT(double scale, double dof) implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            NDArray z = Scalars.div(theta.sub(y).square(), dof * scale * scale);
            NDArray tails = Scalars.add(z, 1.0).log().sum(new int[] {1});
            return Scalars.add(Scalars.mul(tails, -(dof + 1) / 2), logSaturated(yv));
        }

        public double logSaturated(double[] yv) {
            double c = LogGamma.of((dof + 1) / 2) - LogGamma.of(dof / 2) - 0.5 * Math.log(dof * Math.PI * scale * scale);
            return yv.length * c;
        }
    }

    /**
     * Counts: y log θ − θ − log y! per element for θ &gt; 0; θ = 0 has probability one of y = 0, and a negative rate is
     * outside the family (density zero, log −∞). The gradient flows only where θ &gt; 0.
     */
    record Poisson() implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            NDArray positive = theta.gt(Scalars.of(theta, 0.0));
            NDArray safe = NDArrays.where(positive, theta, theta.onesLike());
            NDArray lp = y.mul(safe.log()).sub(theta);
            return rowSum(NDArrays.where(positive, lp, zeroRateLog(theta, y))).sub(Scalars.of(theta, logFactorials(yv)));
        }

        public double logSaturated(double[] yv) {
            double s = 0;
            for (double v : yv) if (v > 0) s += v * Math.log(v) - v;
            return s - logFactorials(yv);
        }
    }

    /**
     * The Gamma–Poisson mixture with mean θ and shape r: log Γ(y + r) − log Γ(r) − log y! + r log(r/(r + θ)) +
     * y log(θ/(r + θ)) per element; variance θ + θ²/r. θ ≤ 0 as for {@link Poisson}.
     */
    record NegativeBinomial(double r) implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            NDArray positive = theta.gt(Scalars.of(theta, 0.0));
            NDArray safe = NDArrays.where(positive, theta, theta.onesLike());
            // r log(r/(r+θ)) = −r log(1 + θ/r), which keeps its precision for large r
            NDArray shape = Scalars.mul(Scalars.add(Scalars.div(safe, r), 1.0).log(), -r);
            NDArray lp = shape.add(y.mul(safe.log().sub(Scalars.add(safe, r).log())));
            double c = -logFactorials(yv);
            for (double v : yv) c += LogGamma.of(v + r) - LogGamma.of(r);
            return rowSum(NDArrays.where(positive, lp, zeroRateLog(theta, y))).add(Scalars.of(theta, c));
        }

        public double logSaturated(double[] yv) {
            throw new UnsupportedOperationException("the negative binomial is a twist only");
        }
    }

    /** y ∈ {0, 1} with logit κθ: y·κθ − softplus(κθ) per element. */
    record Bernoulli(double kappa) implements ObservationDensity {
        public NDArray logDensity(NDArray theta, NDArray y, double[] yv) {
            NDArray l = kappa == 1 ? theta : Scalars.mul(theta, kappa);
            return rowSum(y.mul(l).sub(Primitives.softplus(l)));
        }

        public double logSaturated(double[] yv) {
            return 0;
        }
    }

    private static NDArray rowSum(NDArray a) {
        return a.sum(new int[] {1});
    }

    /** Where θ ≤ 0: log 1 = 0 for θ = 0 and y = 0, else −∞ (no gradient flows here). */
    private static NDArray zeroRateLog(NDArray theta, NDArray y) {
        NDArray certain = theta.eq(Scalars.of(theta, 0.0)).logicalAnd(y.eq(Scalars.of(y, 0.0)));
        NDArray minusInf = theta.getManager().full(theta.getShape(), Float.NEGATIVE_INFINITY, theta.getDataType());
        return NDArrays.where(certain, theta.zerosLike(), minusInf);
    }

    private static double logFactorials(double[] yv) {
        double s = 0;
        for (double v : yv) s += LogGamma.of(v + 1);
        return s;
    }
}
