package dfl.stdlib.runtime;

import dfl.runtime.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dfl.runtime.model.LogDensityFactor;
import dfl.models.mnist.MnistClassifier;

/** {@code classifier("mnist", label = k, temperature = τ)}: log softmax(logits / τ)[k] per particle. */
final class MnistClassifierFactor implements LogDensityFactor {

    private final NDManager weights;
    private final MnistClassifier net;
    private final int label;
    private final double temperature;

    MnistClassifierFactor(NDManager weights, MnistClassifier net, int label, double temperature) {
        this.weights = weights;
        this.net = net;
        this.label = label;
        this.temperature = temperature;
    }

    @Override
    public NDArray logDensity(NDArray x0) {
        NDArray logits = net.logits(x0);
        if (temperature != 1.0) logits = Scalars.div(logits, temperature);
        return logits.logSoftmax(1).get(new NDIndex(":, {}", label));
    }

    @Override
    public void close() {
        weights.close();
    }
}
