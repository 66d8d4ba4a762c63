package dfl.plan;

import java.util.List;

/**
 * The differentiable tensor primitives of forward operators {@code G(x)} that the runtime evaluates itself, as
 * {@link TensorExpr.Apply} nodes: their arguments are tensors, their constants are fields here. Shapes are per
 * particle (axes never count the particle dimension) and were checked by the compiler.
 */
public sealed interface Primitive {

    /** The name as written in programs: {@code exp}, {@code sum}, {@code conv2d}, ... */
    String name();

    /** The constants as {@code dfl plan} prints them after the arguments, e.g. {@code axis = [0]}; empty when none. */
    default String options() {
        return "";
    }

    /** The elementwise functions. */
    enum Function {
        EXP, LOG, TANH, SIGMOID, SOFTPLUS, ABS, SQRT
    }

    /** An elementwise function of one tensor. */
    record Elementwise(Function function) implements Primitive {
        public String name() {
            return function.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The sum or mean of one tensor over {@code axes} (ascending, non-negative), which are removed from the shape; every
     * axis when written without one.
     */
    record Reduce(boolean mean, List<Integer> axes) implements Primitive {
        public Reduce {
            axes = List.copyOf(axes);
        }

        public String name() {
            return mean ? "mean" : "sum";
        }

        public String options() {
            return "axis = " + axes;
        }
    }

    /** The elements of one tensor in row-major order, with the node's shape (of the same size). */
    record Reshape() implements Primitive {
        public String name() {
            return "reshape";
        }
    }

    /** How a convolution pads its input. */
    enum Padding {
        /** No padding: [h − kh + 1, w − kw + 1]. */
        VALID,
        /** Zero padding of (k − 1)/2 on each side for odd kernel sizes: [h, w]. */
        SAME,
        /** Zero padding of k − 1 on each side: [h + kh − 1, w + kw − 1]. */
        FULL
    }

    /**
     * The 2-D cross-correlation (PyTorch's {@code conv2d}) of the first argument [..., h, w] with the second, a kernel
     * [kh, kw] free of the latent, over the last two axes, with zero padding; leading axes are kept.
     */
    record Conv2d(Padding padding) implements Primitive {
        public String name() {
            return "conv2d";
        }

        public String options() {
            return "padding = \"" + padding.name().toLowerCase(java.util.Locale.ROOT) + "\"";
        }
    }

    /** |FFT2(x)|: the modulus of the unnormalised 2-D discrete Fourier transform over the last two axes (phase retrieval). */
    record FourierMagnitude() implements Primitive {
        public String name() {
            return "abs_fft2";
        }
    }
}
