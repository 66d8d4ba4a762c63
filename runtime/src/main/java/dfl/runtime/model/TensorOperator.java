package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * A tensor built-in opened for a run ({@link RuntimeProvider#operator}): applied at every step, closed with the
 * expressions that use it. Stateless built-ins ({@code mask}, {@code blur}) hold nothing; a user network holds its
 * weights. The arguments and result follow {@link RuntimeProvider#builtin}'s contract.
 */
public interface TensorOperator extends AutoCloseable {

    /** The operator applied to evaluated arguments; {@code batched[i]} says whether argument i has the particle dimension. */
    NDArray apply(List<NDArray> args, boolean[] batched, NDManager manager);

    @Override
    default void close() {}
}
