package dfl.runtime.gmm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Shape;
import dfl.runtime.exact.Dense;
import dfl.runtime.model.DiffusionModel;
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

    /** Per-timestep constants: means [C*d], precisions [C*d*d], log-normalisers [C]. */
    private record Noised(double[] means, double[] precisions, double[] logNorm) {}

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
    public NDArray eps(NDArray xt, int trainStep) {
        return score(xt, trainStep).mul(-Math.sqrt(1 - schedule.alphaBar(trainStep)));
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
        NDManager m = xt.getManager();
        NDArray x = xt.reshape(1, k, d);
        NDArray mu = m.create(n.means, new ai.djl.ndarray.types.Shape(c, 1, d)).toType(xt.getDataType(), false);
        NDArray prec = m.create(n.precisions, new ai.djl.ndarray.types.Shape(c, d, d)).toType(xt.getDataType(), false);
        NDArray logNorm = m.create(n.logNorm, new ai.djl.ndarray.types.Shape(c, 1)).toType(xt.getDataType(), false);
        // components lead so the precision product is a batched [C] matmul, never an expansion to [K, C, d, d]
        NDArray diff = x.sub(mu);                                        // [C, K, d]
        NDArray diffP = diff.matMul(prec);                               // [C, K, d]; precisions are symmetric
        NDArray logc = logNorm.sub(diffP.mul(diff).sum(new int[] {2}).mul(0.5)); // [C, K]
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
            logNorm[j] = Math.log(g.weights()[j]) - 0.5 * f.logDet() - 0.5 * d * Math.log(2 * Math.PI);
        }
        return new Noised(means, prec, logNorm);
    }
}
