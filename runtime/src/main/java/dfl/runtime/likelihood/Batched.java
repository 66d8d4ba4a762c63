package dfl.runtime.likelihood;

import ai.djl.ndarray.NDArray;

/**
 * A value while evaluating a {@link dfl.plan.TensorExpr}: the array, and whether it carries the leading
 * particle dimension K (anything that depends on the latent does; constants and data do not).
 */
public record Batched(NDArray array, boolean batched) {}
