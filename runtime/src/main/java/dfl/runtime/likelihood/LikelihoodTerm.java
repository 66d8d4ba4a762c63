package dfl.runtime.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.LikelihoodFamily;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.Scalars;
import java.util.Optional;

/**
 * One compiled {@code observe y ~ Family(θ(x), ...)}: the batched log-density of the data at the family's twist
 * ({@link ObservationDensity#twist}), DPS's distance, and G(x) itself, per particle and differentiable w.r.t. x. The
 * data are read once, when the term is built, and checked against the family's support (E0308, at the data).
 */
public final class LikelihoodTerm {

    private final SamplerPlan.Likelihood spec;
    private final ExprEvaluator evaluator;
    private final long n;
    private final double[] y;
    /** Several observations' data in one batch, one row per particle ([B·K, n], {@link #stacked}); null for one. */
    private final double[] perParticle;

    /**
     * Compiles {@code spec} with {@code evaluator} (which owns the constants and data) and reads the data.
     *
     * @throws DflRuntimeException E0308 when a data element lies outside the family's support; E0301/E0302 when the
     *     data cannot be read or does not fit
     */
    public LikelihoodTerm(SamplerPlan.Likelihood spec, ExprEvaluator evaluator) {
        if (spec.family() instanceof LikelihoodFamily.Normal nf && !(nf.sigma() > 0)) {
            throw new IllegalArgumentException("observation σ must be positive, got " + nf.sigma());
        }
        this.spec = spec;
        this.evaluator = evaluator;
        this.n = spec.data().shape().size();
        try (NDManager m = NDManager.newBaseManager()) {
            this.y = evaluator.constant(spec.data(), m).toType(DataType.FLOAT64, false).toDoubleArray();
        }
        this.perParticle = null;
        checkSupport();
    }

    private LikelihoodTerm(LikelihoodTerm first, double[] perParticle) {
        this.spec = first.spec;
        this.evaluator = first.evaluator;
        this.n = first.n;
        this.y = first.y;
        this.perParticle = perParticle;
    }

    /**
     * One term for B observations sampled in one batch of B·K particles: {@code terms} are the same observe statement
     * read for each observation (G evaluated with the first's evaluator), and particles b·K … (b+1)·K − 1 are weighed
     * against observation b's data. Only Normal observations, whose density uses the data elementwise.
     */
    public static LikelihoodTerm stacked(java.util.List<LikelihoodTerm> terms, int k) {
        LikelihoodTerm first = terms.get(0);
        if (!(first.spec.family() instanceof LikelihoodFamily.Normal)) {
            throw new IllegalArgumentException("only Normal observations can be stacked, not " + first.spec.family().name());
        }
        int len = (int) first.n;
        double[] rows = new double[terms.size() * k * len];
        for (int b = 0; b < terms.size(); b++) {
            for (int p = 0; p < k; p++) System.arraycopy(terms.get(b).y, 0, rows, (b * k + p) * len, len);
        }
        return new LikelihoodTerm(first, rows);
    }

    /** The plan's factor. */
    public SamplerPlan.Likelihood spec() {
        return spec;
    }

    /** σ² of a Normal observation's noise (second-order twists and the replacement variant need a Gaussian). */
    public double variance() {
        if (!(spec.family() instanceof LikelihoodFamily.Normal nf)) {
            throw new IllegalStateException("the observation at line " + spec.span().startLine() + " is " + spec.family().name() + ", not Normal");
        }
        return nf.sigma() * nf.sigma();
    }

    /** G(x) per particle, flattened: shape [K, n], in the latent's data type. */
    public NDArray predicted(NDArray x, NDManager m) {
        long k = x.getShape().get(0);
        Batched mean = evaluator.evaluate(spec.mean(), x, m);
        NDArray g = mean.batched() ? mean.array() : mean.array().expandDims(0).repeat(0, k);
        return g.reshape(k, n);
    }

    /** The observation y, flattened. */
    public double[] observed() {
        return y.clone();
    }

    /** Number of observed elements n. */
    public int rows() {
        return (int) n;
    }

    /** log p̃(y | G(x)) per particle at twist inflation {@code extraVar} (0: the family itself), shape [K], in x's data type. */
    public NDArray logDensity(NDArray x, double extraVar, NDManager m) {
        ObservationDensity density = ObservationDensity.twist(spec.family(), extraVar);
        DataType type = density.dataType(x.getDataType());
        return density.logDensity(predicted(x, m).toType(type, false), data(m, type), y).toType(x.getDataType(), false);
    }

    /**
     * The moment-matched twist of a Normal observation per particle, shape [K]: Σ_j log N(y_j; E[G_j(x0)], σ² +
     * Var[G_j(x0)]) with x0 ~ N(x̂0, {@code spread}·I), the moments by {@code rule} ({@link MomentCubature}) at the points
     * x̂0 + √spread·z_n, all particles' points in one evaluation of G ([K·P] rows). Differentiable w.r.t. x̂0 through both
     * moments. Exact in mean and variance for a G quadratic in x (up to the axes rule's caveats), where the Tweedie twist
     * N(y; G(x̂0), σ² + spread) misses E[x0²] = x̂0² + spread and a spread that grows with |∇G|.
     */
    public NDArray momentLogDensity(NDArray x0hat, double spread, MomentCubature rule, NDManager m) {
        ai.djl.ndarray.types.Shape shape = x0hat.getShape();
        long k = shape.get(0);
        int p = rule.points(), d = rule.d();
        double[] offsets = rule.nodes().clone();
        double s = Math.sqrt(spread);
        for (int i = 0; i < offsets.length; i++) offsets[i] *= s;
        long[] dims = shape.getShape();
        dims[0] = k * p;
        NDArray points = x0hat.reshape(k, 1, d).add(m.create(offsets, new ai.djl.ndarray.types.Shape(1, p, d))
                .toType(x0hat.getDataType(), false)).reshape(new ai.djl.ndarray.types.Shape(dims));
        // the moments in float64: Var[G] is a difference of nearly equal terms where x̂0's spread is small
        NDArray g = predicted(points, m).toType(DataType.FLOAT64, false).reshape(k, p, n);
        NDArray w = m.create(rule.weights(), new ai.djl.ndarray.types.Shape(1, p, 1));
        NDArray mean = g.mul(w).sum(new int[] {1});
        NDArray var = g.sub(mean.expandDims(1)).square().mul(w).sum(new int[] {1});
        NDArray total = Scalars.add(var, variance());
        NDArray sq = mean.sub(data(m, DataType.FLOAT64)).square().div(total);
        NDArray logDet = Scalars.mul(total, 2 * Math.PI).log();
        return Scalars.mul(sq.add(logDet).sum(new int[] {1}), -0.5).toType(x0hat.getDataType(), false);
    }

    /** DPS's distance per particle, shape [K]: ‖y − G(x)‖ for a Normal, the square root of the deviance otherwise. */
    public NDArray dpsNorm(NDArray x, NDManager m) {
        ObservationDensity density = ObservationDensity.twist(spec.family(), 0);
        DataType type = density.dataType(x.getDataType());
        return density.dpsNorm(predicted(x, m).toType(type, false), data(m, type), y).toType(x.getDataType(), false);
    }

    /** y as a [1, n] array of {@code type} in {@code m} (stacked: [B·K, n], each particle's own observation). */
    private NDArray data(NDManager m, DataType type) {
        NDArray a = perParticle == null ? m.create(y, new ai.djl.ndarray.types.Shape(1, n))
                : m.create(perParticle, new ai.djl.ndarray.types.Shape(perParticle.length / n, n));
        return type == DataType.FLOAT64 ? a : a.toType(type, false);
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

    /** E0308 at the data for the first element outside the family's support. */
    private void checkSupport() {
        LikelihoodFamily family = spec.family();
        for (int i = 0; i < y.length; i++) {
            Optional<String> why = family.outsideSupport(y[i]);
            if (why.isEmpty()) continue;
            String png = spec.data() instanceof TensorExpr.Load l && l.path().toLowerCase(java.util.Locale.ROOT).endsWith(".png")
                    ? " (.png images are read as values in [−1, 1]; store counts or labels in a .npy or .csv file)" : "";
            throw new DflRuntimeException(Code.E0308, spec.data() instanceof TensorExpr.Load || spec.data() instanceof TensorExpr.Bound
                    ? dataSpan() : spec.span(), "the data of the observation at line " + spec.span().startLine() + " has the value "
                    + dfl.plan.PlanPrinter.num(y[i]) +  " at element " + java.util.Arrays.toString(spec.data().shape().index(i)) + ", which " + why.get() + ": a " + family.name()
                    + " observation is " + family.support() + png);
        }
    }

    private dfl.source.Span dataSpan() {
        if (spec.data() instanceof TensorExpr.Load l) return l.span();
        return ((TensorExpr.Bound) spec.data()).span();
    }
}
