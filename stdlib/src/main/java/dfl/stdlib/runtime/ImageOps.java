package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.SplittableRandom;

/** The image operators behind {@code mask}, {@code blur} and {@code downsample}: batched and differentiable. */
final class ImageOps {

    private ImageOps() {}

    /** A [h, w] 0/1 mask of the observed pixels. */
    static float[] mask(String kind, int h, int w, double fraction, long seed) {
        float[] m = new float[h * w];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                boolean keep = switch (kind) {
                    case "top-half" -> r < h / 2;
                    case "bottom-half" -> r >= h / 2;
                    case "left-half" -> c < w / 2;
                    case "right-half" -> c >= w / 2;
                    case "center" -> r >= h / 4 && r < h - h / 4 && c >= w / 4 && c < w - w / 4;
                    case "random" -> rng.nextDouble() < fraction;
                    default -> throw new IllegalArgumentException("unknown mask " + kind);
                };
                m[r * w + c] = keep ? 1f : 0f;
            }
        }
        return m;
    }

    /** Gaussian blur over the last two dimensions, zero padding, kernel radius 3σ. */
    static NDArray blur(NDArray x, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        int k = 2 * radius + 1;
        float[] kernel = new float[k * k];
        double sum = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) {
                double v = Math.exp(-((i - radius) * (i - radius) + (j - radius) * (j - radius)) / (2 * sigma * sigma));
                kernel[i * k + j] = (float) v;
                sum += v;
            }
        for (int i = 0; i < kernel.length; i++) kernel[i] /= (float) sum;
        NDManager m = x.getManager();
        NDArray weight = m.create(kernel, new Shape(1, 1, k, k)).toType(x.getDataType(), false);
        return spatial(x, in -> Conv2d.conv2d(in, weight, null, new Shape(1, 1), new Shape(radius, radius)).singletonOrThrow());
    }

    /** Average pooling by {@code factor} over the last two dimensions. */
    static NDArray downsample(NDArray x, int factor) {
        Shape f = new Shape(factor, factor);
        return spatial(x, in -> Pool.avgPool2d(in, f, f, new Shape(0, 0), false, true));
    }

    /** Applies a single-channel [N, 1, H, W] operation to every leading index of x, keeping x's leading shape. */
    private static NDArray spatial(NDArray x, java.util.function.UnaryOperator<NDArray> op) {
        Shape s = x.getShape();
        int r = s.dimension();
        long h = s.get(r - 2), w = s.get(r - 1);
        NDArray out = op.apply(x.reshape(-1, 1, h, w));
        long[] dims = s.getShape().clone();
        dims[r - 2] = out.getShape().get(2);
        dims[r - 1] = out.getShape().get(3);
        return out.reshape(new Shape(dims));
    }
}
