package dfl.runtime.run;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The thread counts of the PyTorch engine, which decide, together with the seed, the bytes a run writes: the same seed
 * and the same intra-op thread count give identical output whatever the machine's load. With a different intra-op
 * count, network priors (the MNIST U-Net, TorchScript models) round differently in the last bits of float32, because
 * libtorch splits convolutions and matrix products by thread; the exact Gaussian-mixture priors do not (measured:
 * posterior2d and product.dfl give identical bytes with 1 and 2 threads). Set the count with
 * {@code -Dai.djl.pytorch.num_threads=N}; run records should state {@link #intraOp()}.
 */
public final class EngineThreads {

    private EngineThreads() {}

    /** libtorch's intra-op thread count (what {@code -Dai.djl.pytorch.num_threads} sets). */
    public static int intraOp() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumThreads();
    }

    /** libtorch's inter-op thread count ({@code -Dai.djl.pytorch.num_interop_threads}). */
    public static int interOp() {
        Engine.getEngine("PyTorch");
        return JniUtils.getNumInteropThreads();
    }
}
