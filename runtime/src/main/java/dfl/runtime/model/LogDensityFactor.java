package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A factor with a known log-density of the clean latent, e.g. a classifier's log p(label | x0).
 * TDS evaluates it at Tweedie's x̂0(x_t) as a twist (so it must be differentiable w.r.t. its input) and
 * exactly at x0 at the end. Input {@code [K, ...shape]} of {@link #dataType()}, output {@code [K]} attached
 * to the input's manager.
 *
 * <p>A {@linkplain #noiseConditioned() noise-conditioned} factor is a function f_t(x_t) of the noisy latent and its
 * training step (a classifier trained on noisy inputs): samplers evaluate it on x_t itself with
 * {@link #logDensity(NDArray, int)}, and its value in the target is f at training step 0.
 */
public interface LogDensityFactor extends AutoCloseable {

    /** Batched log-density, shape [K]; for a noise-conditioned factor its value at training step 0. */
    NDArray logDensity(NDArray x0);

    /** Whether the factor takes the noisy x_t and its training step. */
    default boolean noiseConditioned() {
        return false;
    }

    /** log f_t(x_t) at training step {@code trainStep}, shape [K]; only for a noise-conditioned factor. */
    default NDArray logDensity(NDArray xt, int trainStep) {
        throw new UnsupportedOperationException("this factor is a function of the clean latent only");
    }

    /** The data type expected for the input. */
    default DataType dataType() {
        return DataType.FLOAT32;
    }

    /**
     * γ · log f in the samplers' graph, in {@code x0}'s data type: of x_t at {@code trainStep} for a noise-conditioned
     * factor, else of Tweedie's {@code x0} (pass x_t for both and step 0 to evaluate the target's factor at a clean x).
     */
    static NDArray powered(LogDensityFactor f, double exponent, NDArray xt, NDArray x0, int trainStep) {
        NDArray in = Scalars.cast(f.noiseConditioned() ? xt : x0, f.dataType());
        NDArray log = f.noiseConditioned() ? f.logDensity(in, trainStep) : f.logDensity(in);
        return Scalars.mul(Scalars.cast(log, x0.getDataType()), exponent);
    }

    @Override
    default void close() {}
}
