package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Small CNN digit classifier on clean images in [-1, 1]: input {@code [B,1,28,28]}, output
 * logits {@code [B,10]}.
 *
 * <p>conv3x3(32) → ReLU → conv3x3(32) → ReLU → maxpool2 → conv3x3(64) → ReLU → conv3x3(64) →
 * ReLU → maxpool2 → flatten(3136) → dense(128) → ReLU → dropout(0.3, training only) → dense(10).
 * Max pooling and ReLU are piecewise linear, so input gradients (used for guidance) exist
 * almost everywhere.
 */
public final class Classifier extends FunctionalBlock {
    private static final float DROPOUT = 0.3f;

    private final Parameter c1W = weight("c1.w", 32, 1, 3, 3);
    private final Parameter c1B = bias("c1.b", 32);
    private final Parameter c2W = weight("c2.w", 32, 32, 3, 3);
    private final Parameter c2B = bias("c2.b", 32);
    private final Parameter c3W = weight("c3.w", 64, 32, 3, 3);
    private final Parameter c3B = bias("c3.b", 64);
    private final Parameter c4W = weight("c4.w", 64, 64, 3, 3);
    private final Parameter c4B = bias("c4.b", 64);
    private final Parameter f1W = weight("fc1.w", 128, 64 * 7 * 7);
    private final Parameter f1B = bias("fc1.b", 128);
    private final Parameter f2W = weight("fc2.w", 10, 128);
    private final Parameter f2B = bias("fc2.b", 10);

    /** Builds an uninitialised classifier; call {@code initialize(manager, FLOAT32, inputShape(b))}. */
    public Classifier() {}

    /** Input shape for {@code initialize} with batch size {@code b}. */
    public static Shape inputShape(int b) {
        return new Shape(b, 1, 28, 28);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Activation.relu(Nn.conv3(x, v(ps, c1W, x, training), v(ps, c1B, x, training), 1));
        h = Activation.relu(Nn.conv3(h, v(ps, c2W, x, training), v(ps, c2B, x, training), 1));
        h = pool(h);
        h = Activation.relu(Nn.conv3(h, v(ps, c3W, x, training), v(ps, c3B, x, training), 1));
        h = Activation.relu(Nn.conv3(h, v(ps, c4W, x, training), v(ps, c4B, x, training), 1));
        h = pool(h);
        h = h.reshape(h.getShape().get(0), -1);
        h = Activation.relu(Nn.linear(h, v(ps, f1W, x, training), v(ps, f1B, x, training)));
        if (training) {
            h = Dropout.dropout(h, DROPOUT, true).singletonOrThrow();
        }
        return new NDList(Nn.linear(h, v(ps, f2W, x, training), v(ps, f2B, x, training)));
    }

    private static NDArray pool(NDArray h) {
        return Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 10)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no child blocks: every parameter is direct and has a fixed shape
    }
}
