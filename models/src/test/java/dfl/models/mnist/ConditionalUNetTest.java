package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class-conditional U-Net: label input, warm start from unconditional weights, the label-gap measurement, loading. */
class ConditionalUNetTest {
    private static final int B = 11;

    private static UNet.Config small10() {
        return UNetTest.small().withClasses(10);
    }

    private static float[] run(UNet net, NDManager m, NDArray x, NDArray t, int[] labels) {
        NDList in = labels == null ? new NDList(x, t) : new NDList(x, t, m.create(labels));
        return net.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
    }

    private static int[] fill(int label) {
        int[] c = new int[B];
        Arrays.fill(c, label);
        return c;
    }

    /** Eleven images at spread-out steps, one per label 0..10 when used with {@code 0..10}. */
    private static NDArray[] inputs(NDManager m) {
        Engine.getInstance().setRandomSeed(21);
        float[] t = new float[B];
        for (int i = 0; i < B; i++) {
            t[i] = 90 * i + 5;
        }
        return new NDArray[] {m.randomNormal(new Shape(B, 1, 28, 28)), m.create(t)};
    }

    private static Parameter embedding(UNet net) {
        return net.getParameters().get(UNet.LABEL_EMBEDDING);
    }

    @Test
    void conditionalNetworkHasAnElevenRowEmbeddingAndDefaultsToTheNullLabel() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            UNet uncond = new UNet(UNetTest.small());
            uncond.initialize(m, DataType.FLOAT32, UNet.inputShapes(B));
            UNet net = new UNet(small10());
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(B));
            assertEquals(new Shape(11, UNetTest.small().tembDim()), embedding(net).getShape());
            assertEquals(uncond.parameterCount() + 11L * UNetTest.small().tembDim(), net.parameterCount());
            assertNull(embedding(uncond));
            // a random table, so that labels matter
            embedding(net).getArray().set(m.randomNormal(new Shape(11, UNetTest.small().tembDim())).toFloatArray());
            NDArray[] in = inputs(m);
            int[] labels = new int[B];
            for (int i = 0; i < B; i++) {
                labels[i] = i;
            }
            NDArray y = net.forward(new ParameterStore(m, false), new NDList(in[0], in[1], m.create(labels)), false)
                    .singletonOrThrow();
            assertEquals(new Shape(B, 1, 28, 28), y.getShape());
            assertEquals(DataType.FLOAT32, y.getDataType());
            // float labels select the same rows as integer ones
            float[] fl = new float[B];
            for (int i = 0; i < B; i++) {
                fl[i] = i;
            }
            float[] yf = net.forward(new ParameterStore(m, false), new NDList(in[0], in[1], m.create(fl)), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(y.toFloatArray(), yf, 0f);
            assertArrayEquals(run(net, m, in[0], in[1], fill(10)), run(net, m, in[0], in[1], null), 0f,
                    "two inputs mean the null label");
            assertTrue(UNetTest.maxAbsDiff(run(net, m, in[0], in[1], fill(3)), run(net, m, in[0], in[1], fill(10))) > 1e-3,
                    "a non-zero embedding must change the output (control)");
        }
    }

    /** Saves a small unconditional network as mnist-unet in {@code dir}; returns it. */
    private static UNet saveUnconditional(NDManager m, Path dir) throws IOException {
        Engine.getInstance().setRandomSeed(2);
        UNet uncond = new UNet(UNetTest.small());
        uncond.initialize(m, DataType.FLOAT32, UNet.inputShapes(B));
        TrainLoop.saveParams(uncond, dir.resolve(MnistModels.DIFFUSION + ".params"));
        Properties p = new Properties();
        UNetTest.small().store(p);
        Schedule.DEFAULT.store(p);
        p.setProperty("weights", "EMA");
        p.setProperty("train.steps", "123");
        TrainLoop.writeProps(p, dir.resolve(MnistModels.DIFFUSION + ".properties"), "test");
        return uncond;
    }

    @Test
    void warmStartGivesTheUnconditionalEpsilonForEveryLabel(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            UNet uncond = saveUnconditional(m, dir);
            WarmStart warm = WarmStart.load(m, dir);
            assertEquals(small10(), warm.config(10));
            assertTrue(warm.description().contains("step 123"), warm.description());
            Engine.getInstance().setRandomSeed(9);
            UNet net = new UNet(warm.config(10));
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(B));
            embedding(net).getArray().set(m.randomNormal(embedding(net).getShape()).toFloatArray());
            NDArray[] in = inputs(m);
            float[] expected = run(uncond, m, in[0], in[1], null);
            assertTrue(UNetTest.maxAbsDiff(expected, run(net, m, in[0], in[1], fill(4))) > 1e-3, "before: differs (control)");
            warm.apply(net);
            for (int k = 0; k <= 10; k++) {
                assertArrayEquals(expected, run(net, m, in[0], in[1], fill(k)), 0f, "label " + k);
            }
            // a non-zero row for label 3 changes label 3 only
            float[] table = new float[(int) embedding(net).getArray().size()];
            int td = UNetTest.small().tembDim();
            for (int j = 0; j < td; j++) {
                table[3 * td + j] = 0.5f;
            }
            embedding(net).getArray().set(table);
            assertTrue(UNetTest.maxAbsDiff(expected, run(net, m, in[0], in[1], fill(3))) > 1e-3);
            assertArrayEquals(expected, run(net, m, in[0], in[1], fill(2)), 0f);
            UNet wide = new UNet(new UNet.Config(16, 16, 16, 4, 16, 32, 10));
            wide.initialize(m, DataType.FLOAT32, UNet.inputShapes(1));
            assertThrows(IllegalArgumentException.class, () -> warm.apply(wide));
        }
    }

    @Test
    void labelGapIsZeroAtTheWarmStartAndShowsAUsedLabel(@TempDir Path dir) throws IOException {
        MnistIdx.Data test = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            WarmStart warm = WarmStart.load(m, dirWith(m, dir));
            UNet net = new UNet(warm.config(10));
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(1));
            warm.apply(net);
            LabelGap gap = new LabelGap(test, Schedule.DEFAULT, 10, LabelGap.BANDS, 5);
            LabelGap.Result r = gap.measure(net, m);
            assertArrayEquals(r.trueLabel(), r.nullLabel(), 0);
            assertArrayEquals(r.trueLabel(), r.wrongLabel(), 0);
            assertTrue(r.meanTrue() > 0);
            assertEquals(LabelGap.BANDS, r.bands().length);
            double overall = 0;
            for (double[] b : r.bands()) {
                assertEquals(b[0], b[1], 0);
                assertEquals(b[0], b[2], 0);
                overall += b[0] / LabelGap.BANDS;
            }
            // one digit per label and band (t = 125, 375, 625, 875), so the bands average to the overall loss
            assertEquals(r.meanTrue(), overall, 1e-6);
            embedding(net).getArray().set(m.randomNormal(embedding(net).getShape()).toFloatArray());
            LabelGap.Result changed = gap.measure(net, m);
            assertTrue(Math.abs(changed.meanTrue() - changed.meanNull()) > 1e-4, changed.describe());

            assertEquals(changed.meanTrue(), gap.measure(net, m).meanTrue(), 0, "same problem every call");
            Properties p = new Properties();
            changed.store(p, LabelGap.BANDS);
            assertEquals(10, p.getProperty("eval.gap_null_minus_true").split(",").length);
        }
    }

    private static Path dirWith(NDManager m, Path dir) throws IOException {
        saveUnconditional(m, dir);
        return dir;
    }

    @Test
    void savedConditionalWeightsReloadThroughThePublicApi(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            UNet net = new UNet(small10());
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(B));
            embedding(net).getArray().set(m.randomNormal(embedding(net).getShape()).toFloatArray());
            TrainLoop.saveParams(net, dir.resolve(MnistModels.CONDITIONAL_DIFFUSION + ".params"));
            Properties p = new Properties();
            small10().store(p);
            Schedule.DEFAULT.store(p);
            TrainLoop.writeProps(p, dir.resolve(MnistModels.CONDITIONAL_DIFFUSION + ".properties"), "test");
            assertEquals(small10(), UNet.Config.load(p));

            MnistDiffusion loaded = MnistModels.loadConditionalDiffusion(m, dir);
            assertEquals(10, loaded.classes());
            assertEquals(10, loaded.nullLabel());
            NDArray[] in = inputs(m);
            float[] t = in[1].toFloatArray();
            for (int k : new int[] {0, 7, 10}) {
                assertArrayEquals(run(net, m, in[0], in[1], fill(k)), loaded.epsilon(in[0], t, fill(k)).toFloatArray(), 0f);
            }
            assertArrayEquals(loaded.epsilon(in[0], t, fill(10)).toFloatArray(), loaded.epsilon(in[0], t).toFloatArray(), 0f,
                    "epsilon(x, t) of a conditional model is the null label");
            // integer-valued float labels are accepted; others and wrong shapes are not
            assertArrayEquals(loaded.epsilon(in[0], t, fill(7)).toFloatArray(),
                    loaded.epsilon(in[0], in[1], m.full(new Shape(B), 7f)).toFloatArray(), 0f);
            assertThrows(IllegalArgumentException.class, () -> loaded.epsilon(in[0], t, fill(11)));
            assertThrows(IllegalArgumentException.class, () -> loaded.epsilon(in[0], t, fill(-1)));
            assertThrows(IllegalArgumentException.class, () -> loaded.epsilon(in[0], in[1], m.full(new Shape(B), 2.5f)));
            assertThrows(IllegalArgumentException.class, () -> loaded.epsilon(in[0], t, new int[] {1, 2}));

            // an unconditional model takes no labels and is not loaded as a conditional one
            saveUnconditional(m, dir);
            MnistDiffusion uncond = MnistModels.loadDiffusion(m, dir);
            assertEquals(0, uncond.classes());
            assertThrows(IllegalStateException.class, () -> uncond.epsilon(in[0], t, fill(1)));
            assertThrows(IllegalStateException.class, uncond::nullLabel);
            Path other = dir.resolve("uncond-as-cond");
            java.nio.file.Files.createDirectories(other);
            java.nio.file.Files.copy(dir.resolve(MnistModels.DIFFUSION + ".params"),
                    other.resolve(MnistModels.CONDITIONAL_DIFFUSION + ".params"));
            java.nio.file.Files.copy(dir.resolve(MnistModels.DIFFUSION + ".properties"),
                    other.resolve(MnistModels.CONDITIONAL_DIFFUSION + ".properties"));
            assertThrows(IOException.class, () -> MnistModels.loadConditionalDiffusion(m, other));
        }
    }
}
