package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
        return Logits.logProbability(net.logits(x0), label, temperature);
    }

    @Override
    public void close() {
        weights.close();
    }
}
