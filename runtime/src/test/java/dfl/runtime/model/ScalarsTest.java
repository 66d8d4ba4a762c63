package dfl.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients through {@link Scalars} stay exact when the garbage collector runs between the forward and the
 * backward pass and fresh direct buffers reuse freed memory: the situation in which DJL's own
 * {@code mul(Number)} reads its closed scalar from freed memory.
 */
class ScalarsTest {

    @Test
    void gradientsSurviveGarbageCollectionBeforeBackward() {
        double[] x0 = {0.5, -1.25, 2.0};
        for (int round = 0; round < 100; round++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(x0);
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    // y = ((x * 3 - 1) / 4 + 2)^2 summed: dy/dx = 2 (x*3 - 1)/4 + 2) * 3/4
                    NDArray y = Scalars.add(Scalars.div(Scalars.sub(Scalars.mul(x, 3.0), 1.0), 4.0), 2.0);
                    NDArray loss = y.mul(y).sum();
                    churnDirectMemory();
                    gc.backward(loss);
                }
                double[] g = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
                double[] want = new double[x0.length];
                for (int i = 0; i < want.length; i++) want[i] = 2 * ((x0[i] * 3 - 1) / 4 + 2) * 0.75;
                assertArrayEquals(want, g, 1e-12, "round " + round);
            }
        }
    }

    /**
     * The same check on DJL's own scalar operations finds a wrong gradient: the reason {@link Scalars} exists. If
     * a DJL upgrade makes this fail, the hazard is gone and Scalars could go too.
     */
    @Test
    void djlScalarOperationsFailTheSameCheck() {
        boolean wrong = false;
        for (int round = 0; round < 20 && !wrong; round++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = m.create(new double[] {0.5});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = x.mul(3.0).sum();
                    churnDirectMemory();
                    gc.backward(loss);
                }
                wrong = x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray()[0] != 3.0;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(wrong, "DJL's mul(Number) kept its scalar alive through backward in 20 rounds");
    }

    /** Lets the collector free unreachable direct buffers and hands their memory to new ones filled with garbage. */
    private static void churnDirectMemory() {
        System.gc();
        List<ByteBuffer> hold = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(64);
            while (b.hasRemaining()) b.put((byte) 0x7f);
            hold.add(b);
        }
    }
}
