package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UNetTest {

    /** A small architecture with the same code paths, to keep tests fast. */
    static UNet.Config small() {
        return new UNet.Config(8, 16, 16, 4, 16, 32);
    }

    @Test
    void outputShapeAndParameterCountOfShippedArchitecture() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            UNet net = new UNet(UNet.Config.standard());
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(3));
            long n = net.parameterCount();
            // weights (4 bytes per parameter) plus two 1.9 MB classifiers must stay under 10 MB
            assertTrue(n > 200_000 && n < 1_500_000, "parameter count " + n);
            NDArray y = net.forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(3, 1, 28, 28)), m.create(new float[] {0, 499, 999})), false)
                    .singletonOrThrow();
            assertEquals(new Shape(3, 1, 28, 28), y.getShape());
            assertEquals(DataType.FLOAT32, y.getDataType());
            for (float v : y.toFloatArray()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** ∇ₓ Σ v·ε̂(x,t) by autograd. */
    private static float[] inputGradient(UNet net, NDManager m, NDArray x0, NDArray t, NDArray v) {
        try (NDManager sub = m.newSubManager()) {
            NDArray x = x0.duplicate();
            x.attach(sub);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = net.forward(new ParameterStore(m, false), new NDList(x, t), false).singletonOrThrow();
                gc.backward(y.mul(v).sum());
            }
            return x.getGradient().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private static double objective(UNet net, NDManager m, NDArray x, NDArray t, NDArray v) {
        try (NDManager sub = m.newSubManager()) {
            NDArray xs = x.duplicate();
            xs.attach(sub);
            return net.forward(new ParameterStore(m, false), new NDList(xs, t), false).singletonOrThrow()
                    .mul(v).sum().toType(DataType.FLOAT64, false).getDouble();
        }
    }

    @Test
    void inputGradientsMatchFiniteDifferencesAndFloat32MatchesFloat64() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            UNet net = new UNet(small());
            net.initialize(m, DataType.FLOAT32, UNet.inputShapes(2));
            net.freezeParameters(true);
            NDArray x = m.randomNormal(new Shape(2, 1, 28, 28));
            NDArray v = m.randomNormal(new Shape(2, 1, 28, 28));
            NDArray t = m.create(new float[] {10, 700});
            float[] g32 = inputGradient(net, m, x, t, v);

            // same weights in float64 (Block.cast is not implemented in DJL 0.35.1)
            UNet net64 = new UNet(small());
            net64.initialize(m, DataType.FLOAT64, UNet.inputShapes(2));
            net64.freezeParameters(true);
            var src = net.getParameters().values();
            var dst = net64.getParameters().values();
            for (int i = 0; i < src.size(); i++) {
                dst.get(i).getArray().set(src.get(i).getArray().toType(DataType.FLOAT64, true).toByteBuffer());
            }
            net = net64;
            NDArray x64 = x.toType(DataType.FLOAT64, false);
            NDArray v64 = v.toType(DataType.FLOAT64, false);
            NDArray t64 = t.toType(DataType.FLOAT64, false);
            float[] g64 = inputGradient(net, m, x64, t64, v64);

            double h = 1e-5;
            int[] pixels = {0, 300, 405, 784 + 14 * 28 + 14, 2 * 784 - 1};
            for (int p : pixels) {
                double[] xp = x64.toDoubleArray();
                xp[p] += h;
                double fp = objective(net, m, m.create(xp, x64.getShape()), t64, v64);
                xp[p] -= 2 * h;
                double fm = objective(net, m, m.create(xp, x64.getShape()), t64, v64);
                double fd = (fp - fm) / (2 * h);
                // float64 central differences: truncation O(h^2) and rounding O(1e-16/h) are both < 1e-9
                assertEquals(fd, g64[p], 1e-6 * Math.max(1, Math.abs(fd)), "pixel " + p);
            }
            // float32 autograd agrees with float64 up to float32 rounding through ~20 layers
            double num = 0;
            double den = 0;
            for (int i = 0; i < g64.length; i++) {
                num += (g32[i] - g64[i]) * (double) (g32[i] - g64[i]);
                den += g64[i] * (double) g64[i];
            }
            assertTrue(den > 0, "gradient is identically zero");
            assertTrue(Math.sqrt(num / den) < 1e-4, "float32 vs float64 relative gradient error " + Math.sqrt(num / den));
        }
    }

    @Test
    void savedWeightsReloadToIdenticalOutputs(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            UNet a = new UNet(small());
            a.initialize(m, DataType.FLOAT32, UNet.inputShapes(2));
            TrainLoop.saveParams(a, dir.resolve(MnistModels.DIFFUSION + ".params"));
            Properties p = new Properties();
            small().store(p);
            Schedule.DEFAULT.store(p);
            TrainLoop.writeProps(p, dir.resolve(MnistModels.DIFFUSION + ".properties"), "test");

            Engine.getInstance().setRandomSeed(4);
            NDArray x = m.randomNormal(new Shape(2, 1, 28, 28));
            NDArray t = m.create(new float[] {5, 900});
            float[] ya = a.forward(new ParameterStore(m, false), new NDList(x, t), false).singletonOrThrow().toFloatArray();

            UNet b = new UNet(small());
            b.initialize(m, DataType.FLOAT32, UNet.inputShapes(2));
            float[] before = b.forward(new ParameterStore(m, false), new NDList(x, t), false).singletonOrThrow().toFloatArray();
            assertTrue(maxAbsDiff(ya, before) > 1e-3, "a fresh init must differ (control)");

            MnistDiffusion loaded = MnistModels.loadDiffusion(m, dir);
            float[] yl = loaded.epsilon(x, new float[] {5, 900}).toFloatArray();
            assertArrayEquals(ya, yl, 0f);
            assertEquals(Schedule.DEFAULT, loaded.schedule());
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
