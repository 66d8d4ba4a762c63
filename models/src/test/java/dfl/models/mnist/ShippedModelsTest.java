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

    /**
     * The shipped class-conditional network uses its label: on held-out digits at mid-range steps (t in 200..798, where
     * x_t leaves the digit ambiguous), ε̂ with the true label is closer to ε than with the null label, and that closer
     * than with a wrong label. Each comparison is paired per digit and must exceed 3 standard errors; a network that
     * ignored its label (e.g. a zero embedding) gives differences of exactly 0 and fails.
     */
    @Test
    void shippedConditionalModelPredictsBetterWithTheTrueLabel() throws IOException {
        MnistIdx.Data test = MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST);
        try (NDManager m = NDManager.newBaseManager()) {
            MnistDiffusion model = MnistModels.loadConditionalDiffusion(m);
            assertEquals(10, model.classes());
            assertEquals(10, model.nullLabel());
            assertEquals("0.1", model.properties().getProperty("train.label_dropout"));
            int n = 400;
            int[] idx = new int[n];
            int[] truth = new int[n];
            int[] wrong = new int[n];
            int[] none = new int[n];
            float[] t = new float[n];
            float[] sa = new float[n];
            float[] s1a = new float[n];
            double[] ab = model.schedule().alphaBars();
            for (int i = 0; i < n; i++) {
                idx[i] = 1000 + i; // not among the digits whose label gap the training log reports
                truth[i] = test.labels()[idx[i]];
                wrong[i] = (truth[i] + 1 + i % 9) % 10;
                none[i] = 10;
                t[i] = 200 + 3 * i / 2;
                sa[i] = (float) Math.sqrt(ab[(int) t[i]]);
                s1a[i] = (float) Math.sqrt(1 - ab[(int) t[i]]);
            }
            ai.djl.engine.Engine.getInstance().setRandomSeed(4);
            NDArray x0 = m.create(Objectives.gather(test, idx), new Shape(n, 1, 28, 28));
            NDArray eps = m.randomNormal(x0.getShape());
            NDArray xt = x0.mul(m.create(sa, new Shape(n, 1, 1, 1))).add(eps.mul(m.create(s1a, new Shape(n, 1, 1, 1))));
            float[] withTrue = perDigitMse(model.epsilon(xt, t, truth), eps, n);
            float[] withNull = perDigitMse(model.epsilon(xt, t, none), eps, n);
            float[] withWrong = perDigitMse(model.epsilon(xt, t, wrong), eps, n);
            assertPairedGreater(withNull, withTrue, "null vs true label");
            assertPairedGreater(withWrong, withNull, "wrong vs null label");
        }
    }

    private static float[] perDigitMse(NDArray pred, NDArray eps, int n) {
        return pred.sub(eps).square().reshape(n, -1).mean(new int[] {1}).toFloatArray();
    }

    /** Mean of a − b over the digits exceeds 3 standard errors. */
    private static void assertPairedGreater(float[] a, float[] b, String what) {
        int n = a.length;
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += (a[i] - b[i]) / (double) n;
        }
        double var = 0;
        for (int i = 0; i < n; i++) {
            var += Math.pow(a[i] - b[i] - mean, 2) / (n - 1);
        }
        double se = Math.sqrt(var / n);
        assertTrue(mean > 3 * se, what + ": mean difference " + mean + ", s.e. " + se);
    }
}
