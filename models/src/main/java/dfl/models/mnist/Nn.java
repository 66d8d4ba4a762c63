package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;

/**
 * Functional layers written from DJL primitives. The MNIST networks use these instead of DJL's
 * layer blocks because the PyTorch engine has no GroupNorm and no transposed convolution
 * (see shared notes, Q1), and because explicit parameters make the weight order of
 * {@code saveParameters} obvious.
 */
final class Nn {
    private Nn() {}

    /**
     * He-normal initialiser, std = sqrt(2 / fan_in) with fan_in = product of all dimensions but
     * the first; set explicitly so the init does not depend on DJL defaults.
     */
    static final Initializer HE_NORMAL = (manager, shape, dataType) -> {
        long fanIn = 1;
        for (int i = 1; i < shape.dimension(); i++) {
            fanIn *= shape.get(i);
        }
        float std = (float) Math.sqrt(2.0 / Math.max(1, fanIn));
        return manager.randomNormal(0f, std, shape, dataType);
    };

    /** 3x3 convolution with padding 1. */
    static NDArray conv3(NDArray x, NDArray w, NDArray b, int stride) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(1, 1), new Shape(1, 1))
                .singletonOrThrow();
    }

    /** 1x1 convolution. */
    static NDArray conv1(NDArray x, NDArray w, NDArray b) {
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1)).singletonOrThrow();
    }

    /** Dense layer; {@code w} has shape [out, in]. */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    /**
     * GELU. Used instead of SiLU because the engine has a fused GELU kernel: on one core the
     * forward+backward of SiLU written as x·σ(x) measured 15.5 ms vs 8.4 ms for GELU on a
     * [64,32,28,28] tensor, and the two are near-identical smooth gates.
     */
    static NDArray act(NDArray x) {
        return Activation.gelu(x);
    }

    /**
     * GroupNorm over [B, C, H, W]: each group of C/groups channels is normalised over its channels
     * and pixels (biased variance, eps 1e-5), then a per-channel affine map. Implemented as the
     * engine's fused layer_norm on the [B, groups, C/groups·H·W] view (2.7x faster forward+backward
     * than mean/variance from primitives), since the engine has no group_norm.
     */
    static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long k = s.size() / (b * groups);
        NDManager m = x.getManager();
        NDArray one = m.ones(new Shape(k), x.getDataType());
        NDArray zero = m.zeros(new Shape(k), x.getDataType());
        NDArray normed = LayerNorm.layerNorm(x.reshape(b, groups, k), new Shape(k), one, zero, 1e-5f)
                .singletonOrThrow().reshape(s);
        return normed.mul(gamma.reshape(1, c, 1, 1)).add(beta.reshape(1, c, 1, 1));
    }

    /** Nearest-neighbour 2x upsampling by reshape + broadcast (no Conv2dTranspose in the engine). */
    static NDArray upsample2(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(b, c, h, 1, w, 1).broadcast(b, c, h, 2, w, 2).reshape(b, c, 2 * h, 2 * w);
    }
}
