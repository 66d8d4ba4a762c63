package dfl.runtime.sampler;

import dfl.runtime.model.Autograd;
import dfl.runtime.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.likelihood.MomentCubature;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.run.NativeHeapTrim;

/**
 * Runs the one batched model evaluation of a step in its own NDManager (closed before returning) and hands
 * back plain arrays. The objective is built on Tweedie's x̂0(x_t) = (x_t − √(1−ᾱ) ε̂)/√ᾱ and differentiated
 * w.r.t. x_t in one vector-Jacobian product; its sum over particles is differentiated, which gives every
 * particle its own gradient because particles do not interact inside the model.
 */
final class StepEvaluator {

    /** What the objective is. */
    enum Mode {
        /** ε̂ only, no gradient. */
        PRIOR_ONLY,
        /** log twist: Σ log p̃(y | G(x̂0)) at inflation extra (N(y; G(x̂0), σ² + extra) for a Normal) + Σ γ log f(x̂0), with its gradient. */
        TWIST,
        /**
         * Like TWIST, but every (Normal) observation's twist is moment-matched: N(y; E[G(x0)], σ² + Var[G(x0)]) with
         * x0 ~ N(x̂0, extra·I) ({@link LikelihoodTerm#momentLogDensity}).
         */
        MOMENT_TWIST,
        /** DPS: Σ ‖y − G(x̂0)‖ (the deviance's square root for other families) − Σ γ log f(x̂0), with its gradient. */
        RESIDUAL_NORM,
        /** At clean x0, no model call: Σ log p(y | G(x0)) + Σ γ log f(x0). */
        EXACT
    }

    private final Target target;
    private final NDManager base;
    private final int k;
    private final int d;
    private final ai.djl.ndarray.types.Shape batchShape;
    private long networkCalls;
    private double[] observedRows;  // second-order twists: y stacked over the likelihoods, filled on first use
    private double[] observedNoise; // and each row's σ²
    private long networkNanos;
    private MomentCubature cubature; // moment-matched twists: the rule for the latent's size, built on first use

    StepEvaluator(Target target, NDManager base, int k) {
        this.target = target;
        this.base = base;
        this.k = k;
        this.d = (int) target.shape().size();
        ai.djl.ndarray.types.Shape s = ExprEvaluator.toDjl(target.shape());
        long[] dims = new long[s.dimension() + 1];
        dims[0] = k;
        for (int i = 0; i < s.dimension(); i++) dims[i + 1] = s.get(i);
        this.batchShape = new ai.djl.ndarray.types.Shape(dims);
    }

    long networkCalls() {
        return networkCalls;
    }

    double networkSeconds() {
        return networkNanos * 1e-9;
    }

    /**
     * Evaluates at {@code x} [K·d] for sampling index {@code step} (training step {@code trainStep}, ᾱ =
     * {@code alphaBar}); {@code extraVar} is the twist's variance inflation (TWIST mode).
     */
    Evaluation evaluate(double[] x, int step, int trainStep, double alphaBar, Mode mode, double extraVar) {
        DiffusionModel model = target.prior();
        boolean needGrad = mode != Mode.PRIOR_ONLY && mode != Mode.EXACT && target.guided();
        // the particles come from the previous step's proposal: blame that step, not the model, when they are not finite
        check(x, step, "the particles entering this step (the previous step's proposal overflowed)");
        try (NDManager m = base.newSubManager()) {
            NDArray xt = create(m, x, model.dataType());
            if (mode == Mode.EXACT) {
                double[] obj = toDoubles(objective(xt, xt, 0, Mode.EXACT, 0, m));
                checkAllowingZeroDensity(obj, step, "the likelihood at the final sample");
                return new Evaluation(null, obj, null);
            }
            if (!needGrad) {
                long t0 = System.nanoTime();
                NDArray eps = model.eps(xt, trainStep);
                double[] e = toDoubles(eps);
                networkNanos += System.nanoTime() - t0;
                networkCalls++;
                check(e, step, "the prior's noise prediction (score)");
                return new Evaluation(e, new double[k], null);
            }
            xt.setRequiresGradient(true);
            NDArray eps;
            NDArray obj;
            try (Autograd gc = Autograd.collect()) {
                // network time is the whole graph in the engine: the prior's forward, the twist's terms (which include
                // factor networks such as a classifier's forward) and the backward pass through all of them
                long t0 = System.nanoTime();
                eps = model.eps(xt, trainStep);
                obj = objective(xt, tweedie(xt, eps, alphaBar), trainStep, mode, extraVar, m);
                gc.backward(obj.sum());
                networkNanos += System.nanoTime() - t0;
                networkCalls++;
            }
            double[] e = toDoubles(eps);
            check(e, step, "the prior's noise prediction (score)");
            double[] o = toDoubles(obj);
            String term = mode == Mode.RESIDUAL_NORM ? "the DPS residual norm" : "the twisting log-likelihood";
            checkAllowingZeroDensity(o, step, term);
            double[] g = toDoubles(xt.getGradient());
            for (int p = 0; p < k; p++) {
                // a particle with zero twist density has zero weight; its gradient is meaningless, keep it finite
                if (o[p] == Double.NEGATIVE_INFINITY) java.util.Arrays.fill(g, p * d, (p + 1) * d, 0.0);
            }
            check(g, step, "the gradient of " + term);
            return new Evaluation(e, o, g);
        } finally {
            NativeHeapTrim.shared().afterStep();  // the step's buffers are freed: give their pages back (see the class)
        }
    }

    /**
     * The second-order twist at {@code x} (see {@link LinearisedTwist}): one forward pass, then one vector-Jacobian
     * product per observed row through x̂0(x_t) (the graph kept between them) and one for the factors; J_G at x̂0 from
     * G alone (no network). The target must have likelihoods.
     */
    Evaluation evaluateSecondOrder(double[] x, int step, int trainStep, double alphaBar) {
        DiffusionModel model = target.prior();
        check(x, step, "the particles entering this step (the previous step's proposal overflowed)");
        int mt = 0;
        for (LikelihoodTerm l : target.likelihoods()) mt += l.rows();
        try (NDManager m = base.newSubManager()) {
            NDArray xt = create(m, x, model.dataType());
            xt.setRequiresGradient(true);
            double[] rows = new double[k * mt * d];
            double[] e, pred, x0v, factorObj = new double[k], factorGrad = new double[k * d];
            try (Autograd gc = Autograd.collect()) {
                long t0 = System.nanoTime();
                NDArray eps = model.eps(xt, trainStep);
                NDArray x0 = tweedie(xt, eps, alphaBar);
                NDArray g = predictedRows(x0, m);
                NDArray factors = factorObjective(xt, x0, trainStep);
                for (int r = 0; r < mt; r++) {
                    vjpRows(g, r, xt, rows, mt, r < mt - 1 || factors != null);
                }
                if (factors != null) {
                    gc.backward(factors.sum());
                    factorGrad = toDoubles(xt.getGradient());
                    factorObj = toDoubles(factors);
                }
                networkNanos += System.nanoTime() - t0;
                networkCalls++;
                e = toDoubles(eps);
                pred = toDoubles(g);
                x0v = toDoubles(x0);
            }
            check(e, step, "the prior's noise prediction (score)");
            check(rows, step, "the Jacobian of the observation through x̂0");
            double[] jg = observationJacobian(x0v, mt, m, model.dataType());
            if (observedRows == null) stackObservations(mt, m);
            Evaluation out = SecondOrderTwists.assemble(k, d, mt, (1 - alphaBar) / Math.sqrt(alphaBar), e, rows, jg, pred,
                    observedRows, observedNoise, factorObj, factorGrad);
            checkAllowingZeroDensity(out.objective(), step, "the twisting log-likelihood");
            check(out.grad(), step, "the gradient of the twisting log-likelihood");
            return out;
        } finally {
            NativeHeapTrim.shared().afterStep();
        }
    }

    private MomentCubature cubature() {
        if (cubature == null) cubature = MomentCubature.of(d);
        return cubature;
    }

    /** Tweedie's x̂0 = (x_t − √(1−ᾱ) ε̂)/√ᾱ, in the graph. */
    private static NDArray tweedie(NDArray xt, NDArray eps, double alphaBar) {
        return Scalars.div(xt.sub(Scalars.mul(eps, Math.sqrt(1 - alphaBar))), Math.sqrt(alphaBar));
    }

    /** The likelihoods' data and noise variances stacked row by row, once per run (they do not change between steps). */
    private void stackObservations(int mt, NDManager m) {
        double[] y = new double[mt], noise = new double[mt];
        int off = 0;
        for (LikelihoodTerm l : target.likelihoods()) {
            double[] yl = l.observed();
            System.arraycopy(yl, 0, y, off, yl.length);
            java.util.Arrays.fill(noise, off, off + yl.length, l.variance());
            off += yl.length;
        }
        observedRows = y;
        observedNoise = noise;
    }

    /** Every likelihood's G(x̂0), stacked: [K, m]. */
    private NDArray predictedRows(NDArray x0, NDManager m) {
        NDList parts = new NDList();
        for (LikelihoodTerm l : target.likelihoods()) parts.add(l.predicted(x0, m));
        return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 1);
    }

    /** rows[p, r, :] = ∂G_r/∂x for every particle p, by one backward pass of Σ_p G_r (the graph kept when asked). */
    private static void vjpRows(NDArray g, int r, NDArray leaf, double[] rows, int mt, boolean keepGraph) {
        NDArray s = g.get(new NDIndex(":, {}", r)).sum();
        JniUtils.backward((PtNDArray) s, (PtNDArray) s.onesLike(), keepGraph, false);
        double[] gv = toDoubles(leaf.getGradient());
        JniUtils.zeroGrad((PtNDArray) leaf);
        int k = (int) leaf.getShape().get(0), d = gv.length / k;
        for (int p = 0; p < k; p++) System.arraycopy(gv, p * d, rows, (p * mt + r) * d, d);
    }

    /** J_G at x̂0 per particle, [K·m·d]: m backward passes through G alone. */
    private double[] observationJacobian(double[] x0, int mt, NDManager m, DataType type) {
        double[] jg = new double[k * mt * d];
        NDArray leaf = create(m, x0, type);
        leaf.setRequiresGradient(true);
        try (Autograd gc = Autograd.collect()) {
            NDArray g = predictedRows(leaf, m);
            for (int r = 0; r < mt; r++) vjpRows(g, r, leaf, jg, mt, r < mt - 1);
        }
        return jg;
    }

    /** Σ γ log f(x̂0) over the factors (a noise-conditioned one: γ log f_t(x_t)), [K]; null without factors. */
    private NDArray factorObjective(NDArray xt, NDArray x0, int trainStep) {
        NDArray total = null;
        for (Target.PoweredFactor f : target.factors()) {
            NDArray lp = LogDensityFactor.powered(f.factor(), f.exponent(), xt, x0, trainStep);
            total = total == null ? lp : total.add(lp);
        }
        return total;
    }

    /** The mode's objective at x_t (training step {@code trainStep}) with Tweedie's {@code x0}; EXACT passes x0 for both, step 0. */
    private NDArray objective(NDArray xt, NDArray x0, int trainStep, Mode mode, double extraVar, NDManager m) {
        NDArray total = null;
        for (LikelihoodTerm l : target.likelihoods()) {
            NDArray term = switch (mode) {
                case TWIST -> l.logDensity(x0, extraVar, m);
                case MOMENT_TWIST -> l.momentLogDensity(x0, extraVar, cubature(), m);
                case EXACT -> l.logDensity(x0, 0.0, m);
                case RESIDUAL_NORM -> l.dpsNorm(x0, m);
                case PRIOR_ONLY -> throw new AssertionError();
            };
            total = total == null ? term : total.add(term);
        }
        NDArray factors = factorObjective(xt, x0, trainStep);
        if (factors != null) {
            NDArray term = mode == Mode.RESIDUAL_NORM ? factors.neg() : factors;
            total = total == null ? term : total.add(term);
        }
        return total == null ? m.zeros(new ai.djl.ndarray.types.Shape(k), x0.getDataType()) : total;
    }

    private NDArray create(NDManager m, double[] x, DataType type) {
        if (type == DataType.FLOAT64) return m.create(x, batchShape);
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) x[i];
        NDArray a = m.create(f, batchShape);
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    private static double[] toDoubles(NDArray a) {
        return a.getDataType() == DataType.FLOAT64 ? a.toDoubleArray() : a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /** NaN/Inf in a model output stops the run with a diagnostic naming the step and the term. */
    static void check(double[] v, int step, String term) {
        for (double a : v) {
            if (!Double.isFinite(a)) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at sampling step " + step + ": " + term
                        + " is " + (Double.isNaN(a) ? "NaN" : "infinite")
                        + "; check the model, or use more steps or a larger σ");
            }
        }
    }

    /** Like {@link #check} but −∞ (a zero density, hence a zero weight) is allowed. */
    static void checkAllowingZeroDensity(double[] v, int step, String term) {
        for (double a : v) {
            if (Double.isNaN(a) || a == Double.POSITIVE_INFINITY) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at sampling step " + step + ": " + term
                        + " is " + (Double.isNaN(a) ? "NaN" : "+infinity") + "; check the model and the data");
            }
        }
    }

    int dimension() {
        return d;
    }
}
