package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLoopTest {
    private static final PrintWriter QUIET = new PrintWriter(new java.io.StringWriter());

    private static TrainLoop.Options opts(long steps, float lr) {
        return new TrainLoop.Options(steps, lr, 0, false, 1.0f, 0.9f, 11, 1e9, 0, 1e9);
    }

    /** Loss on one fixed (x_0, t, ε) triple: must fall when the same batch is fitted repeatedly. */
    @Test
    void twentyStepsOnAFixedTinyBatchDecreaseTheLoss(@TempDir Path dir) throws IOException {
        MnistIdx.Data data = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            UNet net = new UNet(UNetTest.small());
            int b = 4;
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(b));
            NDArray x0 = m.create(Objectives.gather(data, new int[] {0, 1, 2, 3}), new Shape(b, 1, 28, 28));
            NDArray eps = m.randomNormal(new Shape(b, 1, 28, 28));
            double[] ab = Schedule.DEFAULT.alphaBars();
            float[] t = {20, 200, 500, 800};
            float[] sa = new float[b];
            float[] s1a = new float[b];
            for (int i = 0; i < b; i++) {
                sa[i] = (float) Math.sqrt(ab[(int) t[i]]);
                s1a[i] = (float) Math.sqrt(1 - ab[(int) t[i]]);
            }
            NDArray xt = x0.mul(m.create(sa, new Shape(b, 1, 1, 1))).add(eps.mul(m.create(s1a, new Shape(b, 1, 1, 1))));
            NDArray tArr = m.create(t);
            TrainLoop.Objective fixed = new TrainLoop.Objective() {
                @Override
                public NDArray loss(ParameterStore ps, NDManager sub, long step, Random rnd) {
                    return net.forward(ps, new NDList(xt, tArr), true).singletonOrThrow().sub(eps).square().mean();
                }

                @Override
                public int batchSize() {
                    return b;
                }
            };
            double before = lossOf(net, m, xt, tArr, eps);
            new TrainLoop(net, null, m, fixed, opts(20, 3e-3f), dir.resolve("ck"), null, QUIET).run(false);
            double after = lossOf(net, m, xt, tArr, eps);
            assertTrue(after < 0.6 * before, "loss " + before + " -> " + after);
        }
    }

    private static double lossOf(UNet net, NDManager m, NDArray xt, NDArray t, NDArray eps) {
        NDArray y = net.forward(new ParameterStore(m, false), new NDList(xt, t), false).singletonOrThrow();
        try (NDManager sub = m.newSubManager()) {
            y.attach(sub);
            return y.sub(eps).square().mean().getFloat();
        }
    }

    /** Same seed ⇒ same weights; an interrupted and resumed run equals an uninterrupted one bit for bit. */
    @Test
    void resumeFromCheckpointReproducesTheUninterruptedRun(@TempDir Path dir) throws IOException {
        MnistIdx.Data all = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        MnistIdx.Data data = new MnistIdx.Data(java.util.Arrays.copyOf(all.images(), 16 * 784),
                java.util.Arrays.copyOf(all.labels(), 16), 16);
        float[][] straight = train(data, dir.resolve("a"), new long[] {4});
        float[][] resumed = train(data, dir.resolve("b"), new long[] {2, 4});
        float[][] otherSeedRun = train(data, dir.resolve("c"), new long[] {4}, 12);
        for (int i = 0; i < straight.length; i++) {
            assertArrayEquals(straight[i], resumed[i], 0f, "parameter " + i);
        }
        assertTrue(Files.exists(dir.resolve("b/adam.ndlist")));
        boolean differs = false;
        for (int i = 0; i < straight.length && !differs; i++) {
            differs = UNetTest.maxAbsDiff(straight[i], otherSeedRun[i]) > 0;
        }
        assertTrue(differs, "a different seed must give different weights (control)");
    }

    private static float[][] train(MnistIdx.Data data, Path ck, long[] stops) throws IOException {
        return train(data, ck, stops, 11);
    }

    /** Runs training in separate loops (fresh networks) stopping at each of {@code stops}; returns EMA weights. */
    private static float[][] train(MnistIdx.Data data, Path ck, long[] stops, long seed) throws IOException {
        float[][] out = null;
        boolean resume = false;
        for (long stop : stops) {
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(99);
                UNet net = new UNet(UNetTest.small());
                net.initialize(m, DataType.FLOAT32, UNet.inputShapes(4));
                UNet ema = new UNet(UNetTest.small());
                ema.initialize(m, DataType.FLOAT32, UNet.inputShapes(4));
                TrainLoop.Options o = new TrainLoop.Options(stop, 1e-3f, 2, false, 1.0f, 0.9f, seed, 1e9, 0, 1e9);
                TrainLoop.Result r = new TrainLoop(net, ema, m,
                        Objectives.diffusion(net, data, Schedule.DEFAULT, 4, seed), o, ck, null, QUIET).run(resume);
                assertEquals(stop, r.step());
                assertTrue(r.finished());
                assertFalse(Double.isNaN(r.lossEma()));
                resume = true;
                out = new float[ema.getParameters().size()][];
                int i = 0;
                for (Parameter p : ema.getParameters().values()) {
                    out[i++] = p.getArray().toFloatArray();
                }
            }
        }
        return out;
    }
}
