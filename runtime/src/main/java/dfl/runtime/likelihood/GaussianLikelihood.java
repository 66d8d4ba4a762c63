package dfl.runtime.likelihood;

import dfl.runtime.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;

/**
 * One compiled {@code observe y ~ Normal(G(x), σ)}: batched log N(y; G(x), (σ² + extra) I) and the residual
 * norm ‖y − G(x)‖ that DPS follows, both per particle and differentiable w.r.t. x.
 */
public final class GaussianLikelihood {

    private final SamplerPlan.Likelihood spec;
    private final ExprEvaluator evaluator;
    private final long n;

    /** Compiles {@code spec} with {@code evaluator} (which owns the constants and data). */
    public GaussianLikelihood(SamplerPlan.Likelihood spec, ExprEvaluator evaluator) {
        if (!(spec.sigma() > 0)) throw new IllegalArgumentException("observation σ must be positive, got " + spec.sigma());
        this.spec = spec;
        this.evaluator = evaluator;
        this.n = spec.data().shape().size();
    }

    /** The plan's factor. */
    public SamplerPlan.Likelihood spec() {
        return spec;
    }

    /** σ² of the observation noise. */
    public double variance() {
        return spec.sigma() * spec.sigma();
    }

    /** Σ over data elements of (y − G(x))², shape [K]. */
    private NDArray squaredResidual(NDArray x, NDManager m) {
        NDArray y = evaluator.constant(spec.data(), m);
        return predicted(x, m).sub(y.reshape(1, n)).square().sum(new int[] {1});
    }

    /** G(x) per particle, flattened: shape [K, n]. */
    public NDArray predicted(NDArray x, NDManager m) {
        long k = x.getShape().get(0);
        Batched mean = evaluator.evaluate(spec.mean(), x, m);
        NDArray g = mean.batched() ? mean.array() : mean.array().expandDims(0).repeat(0, k);
        return g.reshape(k, n);
    }

    /** The observation y, flattened. */
    public double[] observed(NDManager m) {
        return evaluator.constant(spec.data(), m).toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** Number of observed elements n. */
    public int rows() {
        return (int) n;
    }

    /** log N(y; G(x), (σ² + extraVar) I) per particle, shape [K]. */
    public NDArray logDensity(NDArray x, double extraVar, NDManager m) {
        double v = variance() + extraVar;
        return Scalars.sub(Scalars.mul(squaredResidual(x, m), -0.5 / v), 0.5 * n * StrictMath.log(2 * Math.PI * v));
    }

    /**
     * G(1) − G(0) per element of G, evaluated at the latent of shape {@code latent} all ones and all zeros: for an
     * elementwise mask {@code M * x} this is M itself, however the program wrote it. Null when G does not depend on x.
     */
    public double[] unitResponse(Shape latent, NDManager m) {
        int[] dims = latent.toArray();
        long[] batch = new long[dims.length + 1];
        batch[0] = 2;
        for (int i = 0; i < dims.length; i++) batch[i + 1] = dims[i];
        NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(batch), evaluator.dataType());
        x.set(new NDIndex("0"), 1);
        Batched g = evaluator.evaluate(spec.mean(), x, m);
        if (!g.batched()) return null;
        double[] both = g.array().toType(DataType.FLOAT64, false).toDoubleArray();
        int n = both.length / 2;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = both[i] - both[n + i];
        return out;
    }

    /** ‖y − G(x)‖ per particle, shape [K] (DPS's guidance term: the norm, not its square). */
    public NDArray residualNorm(NDArray x, NDManager m) {
        // the tiny offset keeps the gradient finite when a particle fits the data exactly
        return Scalars.add(squaredResidual(x, m), 1e-30).sqrt();
    }
}
