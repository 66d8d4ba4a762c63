package dfl.models.mnist;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Schedule;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Loads the shipped MNIST models: the ε-prediction U-Net and the two digit classifiers.
 *
 * <p>Each model is a pair {@code NAME.params} (DJL {@code saveParameters} format, float32) and
 * {@code NAME.properties} (architecture and training facts), read from the classpath under
 * {@value #RESOURCE_DIR} or from a folder. The returned networks have frozen parameters; input
 * gradients flow when the caller runs them inside a {@code GradientCollector}.
 */
public final class MnistModels {
    /** Classpath folder of the shipped weights. */
    public static final String RESOURCE_DIR = "/dfl/models/mnist/";
    /** Base name of the diffusion model files. */
    public static final String DIFFUSION = "mnist-unet";
    /** Base name of the guidance classifier (trained on the train split). */
    public static final String CLASSIFIER = "mnist-classifier";
    /** Base name of the evaluation classifier (trained on the test split only). */
    public static final String CLASSIFIER_EVAL = "mnist-classifier-eval";

    private MnistModels() {}

    /**
     * Loads the shipped diffusion model from the classpath.
     *
     * @param manager owner of the weights (closing it frees them)
     * @return ε̂(x_t, t) with its schedule
     * @throws IOException if the resources are missing or malformed
     */
    public static MnistDiffusion loadDiffusion(NDManager manager) throws IOException {
        return loadDiffusion(manager, null);
    }

    /**
     * Loads the diffusion model from {@code dir}, or from the classpath when {@code dir} is null.
     *
     * @param manager owner of the weights
     * @param dir folder with {@code mnist-unet.params} and {@code mnist-unet.properties}, or null
     * @return the model
     * @throws IOException if the files are missing or malformed
     */
    public static MnistDiffusion loadDiffusion(NDManager manager, Path dir) throws IOException {
        Properties p = props(dir, DIFFUSION);
        UNet net = new UNet(UNet.Config.load(p));
        net.initialize(manager, DataType.FLOAT32, UNet.inputShapes(1));
        load(net, manager, dir, DIFFUSION);
        net.freezeParameters(true);
        return new MnistDiffusion(net, Schedule.load(p), p, manager);
    }

    /**
     * Loads a shipped classifier from the classpath.
     *
     * @param manager owner of the weights
     * @param eval false: the guidance classifier (trained on the train split); true: the
     *     evaluation classifier (trained on the test split, for scoring generated samples)
     * @return logits [B,10] for images [B,1,28,28] in [-1, 1]
     * @throws IOException if the resources are missing or malformed
     */
    public static MnistClassifier loadClassifier(NDManager manager, boolean eval) throws IOException {
        return loadClassifier(manager, eval, null);
    }

    /**
     * Loads a classifier from {@code dir}, or from the classpath when {@code dir} is null.
     *
     * @param manager owner of the weights
     * @param eval which of the two classifiers
     * @param dir folder with the files, or null
     * @return the model
     * @throws IOException if the files are missing or malformed
     */
    public static MnistClassifier loadClassifier(NDManager manager, boolean eval, Path dir) throws IOException {
        String name = eval ? CLASSIFIER_EVAL : CLASSIFIER;
        Properties p = props(dir, name);
        Classifier net = new Classifier();
        net.initialize(manager, DataType.FLOAT32, Classifier.inputShape(1));
        load(net, manager, dir, name);
        net.freezeParameters(true);
        return new MnistClassifier(net, p, manager);
    }

    private static Properties props(Path dir, String name) throws IOException {
        Properties p = new Properties();
        try (Reader r = new InputStreamReader(open(dir, name + ".properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static void load(FunctionalBlock net, NDManager manager, Path dir, String name) throws IOException {
        try (DataInputStream is = new DataInputStream(new BufferedInputStream(open(dir, name + ".params")))) {
            net.loadParameters(manager, is);
        } catch (MalformedModelException e) {
            throw new IOException("malformed weights " + name + ".params: " + e.getMessage(), e);
        }
    }

    private static InputStream open(Path dir, String file) throws IOException {
        if (dir != null) {
            return Files.newInputStream(dir.resolve(file));
        }
        InputStream is = MnistModels.class.getResourceAsStream(RESOURCE_DIR + file);
        if (is == null) {
            throw new FileNotFoundException("classpath resource " + RESOURCE_DIR + file
                    + " not found (train it with dfl.models.mnist.Train, see MODEL_CARD.md)");
        }
        return is;
    }
}
