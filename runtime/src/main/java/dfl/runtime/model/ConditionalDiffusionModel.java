package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Condition;
import dfl.plan.Shape;
import dfl.runtime.schedule.NoiseSchedule;

/**
 * A conditional diffusion network ε̂(x_t, t, c), batched over the particles, whatever it is made of (a TorchScript file,
 * a network shipped with DFL): the runtime side of {@code diffusion(model, cond = c)}. The samplers see the prior
 * p(x | c) it gives for one condition through {@link #given}, a {@link DiffusionModel}; classifier-free guidance and its
 * exact counterpart compose two of them ({@code compose cond^w * uncond^(1-w)}, the second given {@link Condition.Null}).
 *
 * <p>The contract is {@link DiffusionModel}'s, with the condition added: {@code xt} is {@code [K, ...sampleShape()]} of
 * {@link #dataType()}, the condition is the same for every particle, {@code trainStep} is the 0-based training step of
 * {@link #schedule()}, results are attached to {@code xt}'s manager and differentiable w.r.t. {@code xt}. An
 * implementation maps {@link Condition.Null} to the input it was trained with for a dropped condition. Close it to free
 * native memory.
 */
public interface ConditionalDiffusionModel extends AutoCloseable {

    /** Per-sample shape, e.g. [2] or [1, 28, 28]. */
    Shape sampleShape();

    /** The training noise schedule. */
    NoiseSchedule schedule();

    /** The data type the model expects. */
    DataType dataType();

    /** ε̂(x_t, t, c) for a batch {@code [K, ...shape]}. */
    NDArray eps(NDArray xt, int trainStep, Condition condition);

    /** The score ∇ log p_t(x_t | c) = −ε̂ / √(1−ᾱ_t). */
    default NDArray score(NDArray xt, int trainStep, Condition condition) {
        return Scalars.mul(eps(xt, trainStep, condition), -1.0 / Math.sqrt(1 - schedule().alphaBar(trainStep)));
    }

    /** Whether {@link #energy} is available. */
    default boolean hasEnergy() {
        return false;
    }

    /** −log p_t(x_t | c) up to a constant independent of x, shape [K]; only if {@link #hasEnergy()}. */
    default NDArray energy(NDArray xt, int trainStep, Condition condition) {
        throw new UnsupportedOperationException("this conditional model has no energy (it only gives scores)");
    }

    /** The range of the clean data in every coordinate when the model knows it, as {@link DiffusionModel#dataRange()}. */
    default java.util.Optional<double[]> dataRange() {
        return java.util.Optional.empty();
    }

    /** The prior p(x | c) of this network; closing it closes this network. */
    default DiffusionModel given(Condition condition) {
        return new ConditionedModel(this, condition);
    }

    @Override
    default void close() {}
}
