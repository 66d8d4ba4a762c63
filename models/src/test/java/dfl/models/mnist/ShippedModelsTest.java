package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The weights on the classpath load through the public API and are the trained ones. */
class ShippedModelsTest {

    @Test
    void shippedClassifiersAreAccurateOnHeldOutDigits() throws IOException {
        MnistIdx.Data test = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        MnistIdx.Data train = MnistIdx.load(TestData.dir(), MnistIdx.Split.TRAIN);
        try (NDManager m = NDManager.newBaseManager()) {
            // guidance classifier: held-out = test split; eval classifier: held-out = train split
            assertTrue(accuracy(MnistModels.loadClassifier(m, false), m, test) > 0.95);
            assertTrue(accuracy(MnistModels.loadClassifier(m, true), m, train) > 0.95);
        }
    }

    /** Accuracy on the first 400 digits (binomial s.e. ≈ 1% at 97%; the 0.95 bound is ~2 s.e. below). */
    private static double accuracy(MnistClassifier clf, NDManager m, MnistIdx.Data d) {
        int n = 400;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        try (NDManager sub = m.newSubManager()) {
            long[] pred = clf.logits(sub.create(Objectives.gather(d, idx), new Shape(n, 1, 28, 28))).argMax(1).toLongArray();
            int ok = 0;
            for (int i = 0; i < n; i++) {
                ok += pred[i] == d.labels()[i] ? 1 : 0;
            }
            return ok / (double) n;
        }
    }

    @Test
    void shippedDiffusionModelDenoisesBetterThanTheZeroPredictor() throws IOException {
        MnistIdx.Data test = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            MnistDiffusion model = MnistModels.loadDiffusion(m);
            assertEquals(1000, model.schedule().trainSteps());
            int n = 64;
            int[] idx = new int[n];
            float[] t = new float[n];
            float[] sa = new float[n];
            float[] s1a = new float[n];
            double[] ab = model.schedule().alphaBars();
            for (int i = 0; i < n; i++) {
                idx[i] = i;
                t[i] = 15 * i + 10;
                sa[i] = (float) Math.sqrt(ab[(int) t[i]]);
                s1a[i] = (float) Math.sqrt(1 - ab[(int) t[i]]);
            }
            ai.djl.engine.Engine.getInstance().setRandomSeed(3);
            NDArray x0 = m.create(Objectives.gather(test, idx), new Shape(n, 1, 28, 28));
            NDArray eps = m.randomNormal(x0.getShape());
            NDArray xt = x0.mul(m.create(sa, new Shape(n, 1, 1, 1))).add(eps.mul(m.create(s1a, new Shape(n, 1, 1, 1))));
            float mse = model.epsilon(xt, t).sub(eps).square().mean().getFloat();
            // predicting 0 gives E|eps|^2 = 1; the trained model's training loss is ~0.03 on held-in data
            assertTrue(mse < 0.1, "held-out eps MSE " + mse);
        }
    }
}
