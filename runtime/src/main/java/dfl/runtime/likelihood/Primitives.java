package dfl.runtime.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import dfl.plan.Primitive;
import dfl.plan.TensorExpr;
import dfl.runtime.model.Scalars;
import java.util.List;

/**
 * The runtime's differentiable {@link Primitive}s on DJL arrays (PyTorch engine: every operation here has an autograd
 * rule, checked against finite differences in the tests). An argument that carries the particle dimension K has it
 * first; the primitives' axes are per particle, so they shift by one there.
 *
 * <p>{@code abs_fft2} uses the engine's FFT ({@code torch.fft.fft2}, complex, differentiable) and takes the modulus of
 * its real view; where the modulus is 0 its gradient is set to 0 (the subgradient at the kink) instead of 0/0.
 */
final class Primitives {

    private Primitives() {}

    /** The value of {@code node} at its evaluated arguments; {@code batched} says whether the first carries K. */
    static NDArray apply(TensorExpr.Apply node, List<NDArray> args, boolean batched) {
        NDArray x = args.get(0);
        Primitive p = node.primitive();
        if (p instanceof Primitive.Elementwise e) return elementwise(e.function(), x);
        if (p instanceof Primitive.Reduce r) return reduce(r, x, batched);
        if (p instanceof Primitive.Reshape) return x.reshape(shape(node.shape(), batched ? x.getShape().get(0) : -1));
        if (p instanceof Primitive.Conv2d c) return conv2d(x, args.get(1), c.padding());
        return fourierMagnitude(x);
    }

    static NDArray elementwise(Primitive.Function f, NDArray x) {
        return switch (f) {
            case EXP -> x.exp();
            case LOG -> x.log();
            case TANH -> x.tanh();
            case SIGMOID -> Activation.sigmoid(x);
            case SOFTPLUS -> softplus(x);
            case ABS -> x.abs();
            case SQRT -> x.sqrt();
        };
    }

    /** log(1 + e^v) without overflow and without the engine's linear cut-off: max(v, 0) + log(1 + e^−|v|). */
    static NDArray softplus(NDArray v) {
        return v.maximum(Scalars.of(v, 0.0)).add(Scalars.add(v.abs().neg().exp(), 1.0).log());
    }

    private static NDArray reduce(Primitive.Reduce r, NDArray x, boolean batched) {
        if (r.axes().isEmpty()) return x;
        int[] axes = r.axes().stream().mapToInt(a -> batched ? a + 1 : a).toArray();
        NDArray sum = x.sum(axes);
        if (!r.mean()) return sum;
        long count = 1;
        for (int a : axes) count *= x.getShape().get(a);
        // the engine's mean takes one axis only: the sum over all of them divided by their size
        return Scalars.div(sum, count);
    }

    /** The DJL shape of a per-particle shape, with the particle dimension {@code k} first when k ≥ 0. */
    private static Shape shape(dfl.plan.Shape s, long k) {
        int off = k >= 0 ? 1 : 0;
        long[] d = new long[s.rank() + off];
        if (k >= 0) d[0] = k;
        for (int i = 0; i < s.rank(); i++) d[i + off] = s.dim(i);
        return new Shape(d);
    }

    /** Cross-correlation of every [h, w] slice of x with the [kh, kw] kernel, zero padding as asked. */
    private static NDArray conv2d(NDArray x, NDArray kernel, Primitive.Padding padding) {
        Shape s = x.getShape();
        int r = s.dimension();
        long h = s.get(r - 2), w = s.get(r - 1), kh = kernel.getShape().get(0), kw = kernel.getShape().get(1);
        long ph = switch (padding) {
            case VALID -> 0;
            case SAME -> (kh - 1) / 2;
            case FULL -> kh - 1;
        };
        long pw = switch (padding) {
            case VALID -> 0;
            case SAME -> (kw - 1) / 2;
            case FULL -> kw - 1;
        };
        NDArray weight = kernel.reshape(1, 1, kh, kw).toType(x.getDataType(), false);
        NDArray out = Conv2d.conv2d(x.reshape(-1, 1, h, w), weight, null, new Shape(1, 1), new Shape(ph, pw)).singletonOrThrow();
        long[] dims = s.getShape().clone();
        dims[r - 2] = out.getShape().get(2);
        dims[r - 1] = out.getShape().get(3);
        return out.reshape(new Shape(dims));
    }

    /** |FFT2(x)| over the last two axes, with gradient 0 where the modulus is 0. */
    private static NDArray fourierMagnitude(NDArray x) {
        Shape s = x.getShape();
        int r = s.dimension();
        NDArray parts = x.fft2(new long[] {s.get(r - 2), s.get(r - 1)}, new long[] {r - 2, r - 1}).real();
        NDArray sq = parts.square().sum(new int[] {r});
        NDArray positive = sq.gt(Scalars.of(sq, 0.0));
        NDArray safe = NDArrays.where(positive, sq, sq.onesLike()).sqrt();
        return NDArrays.where(positive, safe, sq.zerosLike());
    }
}
