package dfl.plan;

import dfl.source.Span;
import java.util.List;

/**
 * A tensor-valued expression in the latent {@code x}, with user functions inlined. The runtime
 * compiles it into differentiable DJL operations applied to all particles at once (the particle
 * dimension is implicit: shapes here are per particle). Every node carries its per-particle shape.
 */
public sealed interface TensorExpr {

    Shape shape();

    /** Whether the expression depends on the latent variable (otherwise it is a constant or data). */
    default boolean usesLatent() {
        if (this instanceof Latent) return true;
        if (this instanceof Binary b) return b.left().usesLatent() || b.right().usesLatent();
        if (this instanceof Neg n) return n.operand().usesLatent();
        if (this instanceof Builtin b) return b.args().stream().anyMatch(TensorExpr::usesLatent);
        if (this instanceof Apply a) return a.args().stream().anyMatch(TensorExpr::usesLatent);
        return false;
    }

    /** The latent variable itself. */
    record Latent(Shape shape) implements TensorExpr {}

    /** A constant: values in row-major order. A number is a constant of shape []. */
    record Const(List<Double> values, Shape shape) implements TensorExpr {
        public Const {
            values = List.copyOf(values);
        }

        public static Const scalar(double v) {
            return new Const(List.of(v), Shape.SCALAR);
        }
    }

    /** Data from a file ({@code load("y.png")}), read at run time, never at compile time. */
    record Load(String path, Shape shape, Span span) implements TensorExpr {}

    /** Data bound from outside the program (Java {@code bind}, or the REPL) under a name. */
    record Bound(String name, Shape shape, Span span) implements TensorExpr {}

    /**
     * An elementwise operation with broadcasting ({@code + - * / ^}), or a matrix product
     * ({@code @}: [m, n] @ [n] gives [m]; [m, n] @ [n, k] gives [m, k]).
     */
    record Binary(Op op, TensorExpr left, TensorExpr right, Shape shape) implements TensorExpr {}

    /** {@code -operand}. */
    record Neg(TensorExpr operand, Shape shape) implements TensorExpr {}

    /**
     * A stdlib tensor operator such as {@code mask}, {@code blur}, {@code downsample}: its name, tensor
     * arguments and typed constant options, evaluated by the runtime's provider.
     */
    record Builtin(String name, List<TensorExpr> args, BuiltinOptions options, Shape shape) implements TensorExpr {
        public Builtin {
            args = List.copyOf(args);
        }
    }

    /**
     * A differentiable primitive the runtime evaluates itself (elementwise functions, sums and means, reshape, 2-D
     * convolution, the magnitude of a 2-D FFT), applied to its tensor arguments; see {@link Primitive}.
     */
    record Apply(Primitive primitive, List<TensorExpr> args, Shape shape) implements TensorExpr {
        public Apply {
            args = List.copyOf(args);
        }
    }

    /** The binary tensor operators. */
    enum Op {
        ADD, SUB, MUL, DIV, POW, MATMUL
    }
}
