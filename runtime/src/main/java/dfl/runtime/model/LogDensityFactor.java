package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A factor with a known log-density of the clean latent, e.g. a classifier's log p(label | x0).
 * TDS evaluates it at Tweedie's x̂0(x_t) as a twist (so it must be differentiable w.r.t. its input) and
 * exactly at x0 at the end. Input {@code [K, ...shape]} of {@link #dataType()}, output {@code [K]} attached
 * to the input's manager.
 */
public interface LogDensityFactor extends AutoCloseable {

    /** Batched log-density, shape [K]. */
    NDArray logDensity(NDArray x0);

    /** The data type expected for the input. */
    default DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    default void close() {}
}
