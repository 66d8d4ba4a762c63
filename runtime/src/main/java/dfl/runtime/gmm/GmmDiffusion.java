package dfl.runtime.gmm;

import dfl.runtime.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.Shape;
import dfl.runtime.linalg.Dense;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.Located;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact diffusion model of a Gaussian-mixture prior: ε̂, score and energy of the noised marginal at every
 * training step, in float64 DJL operations so autograd reaches x_t. Per used timestep the component
 * precisions and log-normalisers are computed once with ojAlgo (Cholesky) and cached as Java arrays.
 *
 * <p>For x of shape [K, d]: log p_t(x) = logsumexp_k (log w_k − ½ log|C_k| − ½ d log 2π − ½ (x−m_k)ᵀ C_k⁻¹ (x−m_k)),
 * score = −Σ_k r_k(x) C_k⁻¹ (x − m_k) with responsibilities r = softmax over components.
 */
public final class GmmDiffusion implements DiffusionModel {

    private final GaussianMixture prior;
    private final NoiseSchedule schedule;
    private final Shape shape;
    private final ConcurrentHashMap<Double, Noised> cache = new ConcurrentHashMap<>();
    private final NDManager constants = NDManager.newBaseManager();

    /**
     * Per-timestep constants as float64 arrays in this model's own manager: means [C,1,d], precisions [C,d,d],
     * log-normalisers [C,1]. Every operation puts the caller's array first, so results land in the caller's
     * per-step manager and these constants are never copied or leaked.
     */
    private record Noised(NDArray means, NDArray precisions, NDArray logNorm) {}

    /** The exact model for {@code prior} under {@code schedule}; {@code shape} must have d elements. */
    public GmmDiffusion(GaussianMixture prior, NoiseSchedule schedule, Shape shape) {
        if (shape.size() != prior.dimension()) {
            throw new IllegalArgumentException("latent shape " + shape + " does not hold a " + prior.dimension()
                    + "-dimensional mixture");
        }
        this.prior = prior;
        this.schedule = schedule;
        this.shape = shape;
    }

    /**
     * Opens the plan's diffusion prior {@code d}: a gmm(...) prior exactly, any other model through {@code provider}, its
     * failures placed at {@code d} in the program ({@link Located}).
     */
    public static DiffusionModel open(Density.Diffusion d, Shape shape, RuntimeProvider provider, NDManager manager) {
        if (d.model() instanceof ModelRef.Gmm g) return new GmmDiffusion(GaussianMixture.of(g), NoiseSchedule.of(d.schedule()), shape);
        return Located.diffusion(d, shape, provider, manager);
    }

    /** The clean prior. */
    public GaussianMixture prior() {
        return prior;
    }

    @Override
    public Shape sampleShape() {
        return shape;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public DataType dataType() {
        return DataType.FLOAT64;
    }

    @Override
    public boolean hasEnergy() {
        return true;
    }

    @Override
    public java.util.Optional<double[]> dataRange() {
        return java.util.Optional.of(prior.range());
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        return Scalars.mul(score(xt, trainStep), -Math.sqrt(1 - schedule.alphaBar(trainStep)));
    }

    @Override
    public NDArray score(NDArray xt, int trainStep) {
        return evaluate(xt, schedule.alphaBar(trainStep), true);
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep) {
        return evaluate(xt, schedule.alphaBar(trainStep), false).neg();
    }

    /** Score (shape of xt) or log-density ([K]) of the mixture noised to {@code alphaBar}. */
    public NDArray evaluate(NDArray xt, double alphaBar, boolean wantScore) {
        int c = prior.components(), d = prior.dimension();
        long k = xt.getShape().get(0);
        Noised n = cache.computeIfAbsent(alphaBar, this::precompute);
        NDArray x = (xt.getDataType() == DataType.FLOAT64 ? xt : xt.toType(DataType.FLOAT64, false)).reshape(1, k, d);
        NDArray mu = n.means(), prec = n.precisions(), logNorm = n.logNorm();
        // components lead so the precision product is a batched [C] matmul, never an expansion to [K, C, d, d]
        NDArray diff = x.sub(mu);                                        // [C, K, d]
        NDArray diffP = diff.matMul(prec);                               // [C, K, d]; precisions are symmetric
        NDArray logc = Scalars.mul(diffP.mul(diff).sum(new int[] {2}), -0.5).add(logNorm); // [C, K]
        if (!wantScore) {
            NDArray max = logc.max(new int[] {0}, true).stopGradient();
            return logc.sub(max).exp().sum(new int[] {0}).log().add(max.squeeze(0));
        }
        NDArray r = logc.softmax(0).expandDims(2);                       // [C, K, 1]
        return diffP.mul(r).sum(new int[] {0}).neg().reshape(xt.getShape());
    }

    private Noised precompute(double alphaBar) {
        GaussianMixture g = prior.noised(alphaBar);
        int c = g.components(), d = g.dimension();
        double[] means = new double[c * d];
        double[] prec = new double[c * d * d];
        double[] logNorm = new double[c];
        for (int j = 0; j < c; j++) {
            Dense.Spd f = Dense.spd(g.covariances()[j]);
            System.arraycopy(g.means()[j], 0, means, j * d, d);
            for (int r = 0; r < d; r++) System.arraycopy(f.inverse()[r], 0, prec, (j * d + r) * d, d);
            logNorm[j] = StrictMath.log(g.weights()[j]) - 0.5 * f.logDet() - 0.5 * d * StrictMath.log(2 * Math.PI);
        }
        synchronized (constants) {
            return new Noised(constants.create(means, new ai.djl.ndarray.types.Shape(c, 1, d)),
                    constants.create(prec, new ai.djl.ndarray.types.Shape(c, d, d)),
                    constants.create(logNorm, new ai.djl.ndarray.types.Shape(c, 1)));
        }
    }

    /** Frees the cached per-timestep constants. */
    @Override
    public void close() {
        cache.clear();
        constants.close();
    }
}
