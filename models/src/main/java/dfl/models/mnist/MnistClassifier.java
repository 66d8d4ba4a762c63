package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Properties;

/** A loaded MNIST digit classifier: logits [B,10] for images [B,1,28,28] in [-1, 1]. */
public final class MnistClassifier {
    private final Classifier net;
    private final Properties properties;
    private final ParameterStore ps;

    MnistClassifier(Classifier net, Properties properties, NDManager manager) {
        this.net = net;
        this.properties = properties;
        this.ps = new ParameterStore(manager, false);
    }

    /**
     * Class logits (unnormalised log-probabilities; apply {@code logSoftmax(1)} for log p(y|x)).
     * Differentiable with respect to {@code x} inside a {@code GradientCollector}.
     *
     * @param x images [B,1,28,28], float32, in [-1, 1]
     * @return logits [B,10]
     */
    public NDArray logits(NDArray x) {
        return net.forward(ps, new NDList(x), false).singletonOrThrow();
    }

    /** @return the underlying block (frozen parameters, eval mode when called with training=false) */
    public Block block() {
        return net;
    }

    /** @return architecture and training facts stored with the weights */
    public Properties properties() {
        return properties;
    }
}
