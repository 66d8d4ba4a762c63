package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Records the operations of the current thread for a backward pass, like DJL's {@code GradientCollector}, but
 * confined to the thread: DJL's PyTorch collector allows one open collector in the whole process (a static flag), so
 * two runs sampling at the same time in one JVM (Spark's task threads, an embedding server) failed with "A
 * PtGradientCollector is already collecting". libtorch's grad mode is thread-local, and this turns it on for the
 * calling thread only, restoring the previous mode on {@link #close()}; {@link #backward} is the same libtorch call
 * the collector makes.
 */
public final class Autograd implements AutoCloseable {

    private final boolean previous;

    private Autograd() {
        previous = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording on this thread; close it to restore the previous mode. */
    public static Autograd collect() {
        return new Autograd();
    }

    /** Back-propagates from {@code target} (gradient one), accumulating into the leaves' gradients. */
    public void backward(NDArray target) {
        JniUtils.backward((PtNDArray) target, (PtNDArray) target.onesLike(), false, false);
    }

    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
