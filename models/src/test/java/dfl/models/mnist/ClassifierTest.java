package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierTest {

    @Test
    void logitsShapeReloadAndInputGradient(@TempDir Path dir) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            Classifier net = new Classifier();
            net.initialize(m, DataType.FLOAT32, Classifier.inputShape(4));
            TrainLoop.saveParams(net, dir.resolve(MnistModels.CLASSIFIER_EVAL + ".params"));
            TrainLoop.writeProps(new Properties(), dir.resolve(MnistModels.CLASSIFIER_EVAL + ".properties"), "test");
            MnistClassifier clf = MnistModels.loadClassifier(m, true, dir);

            NDArray x = m.randomUniform(-1f, 1f, new Shape(4, 1, 28, 28));
            NDArray logits = clf.logits(x);
            assertEquals(new Shape(4, 10), logits.getShape());
            float[] direct = net.forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), false)
                    .singletonOrThrow().toFloatArray();
            assertArrayEquals(direct, logits.toFloatArray(), 0f);

            NDArray xg = x.duplicate();
            xg.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(clf.logits(xg).logSoftmax(1).get(":, 3").sum());
            }
            float[] g = xg.getGradient().toFloatArray();
            double norm = 0;
            for (float v : g) {
                norm += v * v;
            }
            assertTrue(norm > 0 && Double.isFinite(norm), "input gradient norm " + norm);
        }
    }

    @Test
    void shiftMovesPixelsAndFillsBackground() {
        float[] src = new float[784];
        src[5 * 28 + 7] = 1f;
        float[] dst = new float[784];
        Objectives.shift(src, 0, dst, 0, 2, -1);
        assertEquals(1f, dst[4 * 28 + 9]);
        assertEquals(-1f, dst[27 * 28 + 0], "row shifted in from outside is background");
        assertEquals(0f, dst[5 * 28 + 9], "interior pixel comes from the source");
    }
}
