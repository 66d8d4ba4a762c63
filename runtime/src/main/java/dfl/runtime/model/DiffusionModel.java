package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Shape;
import dfl.runtime.schedule.NoiseSchedule;

/**
 * A diffusion prior as the samplers see it: a batched noise prediction ε̂(x_t, t) for all particles at once.
 *
 * <p>Contract for implementations (stdlib's U-Net and TorchScript models, the runtime's exact GMM):
 * <ul>
 *   <li>{@code xt} has shape {@code [K, ...sampleShape()]} and data type {@link #dataType()}; results have the
 *       same shape and are attached to {@code xt}'s manager (the sampler closes that manager every step).
 *   <li>The result must be differentiable w.r.t. {@code xt} with DJL autograd: TDS and DPS call it inside a
 *       {@code GradientCollector} and back-propagate through Tweedie's x̂0 = (x_t − √(1−ᾱ_t) ε̂)/√ᾱ_t. Freeze
 *       network parameters; do not detach the input.
 *   <li>{@code trainStep} is the 0-based training timestep of {@link #schedule()} (respaced samplers pass the
 *       kept training step), so ᾱ = {@code schedule().alphaBar(trainStep)}.
 * </ul>
 * Close it to free native memory (weights); the default {@link #close()} does nothing.
 */
public interface DiffusionModel extends AutoCloseable {

    /** Per-sample shape, e.g. [2] or [1, 28, 28]. */
    Shape sampleShape();

    /** The training noise schedule the model was trained with. */
    NoiseSchedule schedule();

    /** The data type the model expects (FLOAT32 for networks, FLOAT64 for exact priors). */
    DataType dataType();

    /** ε̂(x_t, t) for a batch {@code [K, ...shape]}. */
    NDArray eps(NDArray xt, int trainStep);

    /** The score ∇ log p_t(x_t) = −ε̂ / √(1−ᾱ_t). */
    default NDArray score(NDArray xt, int trainStep) {
        double ab = schedule().alphaBar(trainStep);
        return Scalars.mul(eps(xt, trainStep), -1.0 / Math.sqrt(1 - ab));
    }

    /** Whether {@link #energy} is available. */
    boolean hasEnergy();

    /** Energy −log p_t(x_t) up to a constant independent of x, shape [K]; only if {@link #hasEnergy()}. */
    default NDArray energy(NDArray xt, int trainStep) {
        throw new UnsupportedOperationException("this diffusion model has no energy (it only gives scores)");
    }

    /**
     * The range [lo, hi] that holds (nearly) all of the clean prior's values, in every coordinate, when the model knows it
     * (images in [−1, 1], a mixture's means ± 6 standard deviations); empty when it does not. Samples far outside it
     * are reported as a blow-up (W0006).
     */
    default java.util.Optional<double[]> dataRange() {
        return java.util.Optional.empty();
    }

    @Override
    default void close() {}
}
