package dfl.plan;

import java.util.List;

/**
 * The condition c given to a conditional diffusion network ε̂(x_t, t, c) ({@link ModelRef.Conditional}): a class
 * label, a vector, or the network's null condition (the "unconditional" input it was trained with by dropping the
 * condition, as classifier-free guidance needs). How each reaches the network is the network's calling convention:
 * docs/models.md for TorchScript files.
 */
public sealed interface Condition {

    /** Class {@code index}, 0-based. */
    record Label(int index) implements Condition {}

    /** A condition vector. */
    record Vector(List<Double> values) implements Condition {
        public Vector {
            values = List.copyOf(values);
        }
    }

    /** The null condition. */
    record Null() implements Condition {}
}
