package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dfl.runtime.model.Scalars;

/** What a classifier's logits give a factor: log softmax(logits / τ)[label] per sample. */
final class Logits {

    private Logits() {}

    /** log p(label | x) at logit temperature {@code temperature} from logits [K, classes]: shape [K]. */
    static NDArray logProbability(NDArray logits, int label, double temperature) {
        NDArray scaled = temperature == 1.0 ? logits : Scalars.div(logits, temperature);
        return scaled.logSoftmax(1).get(new NDIndex(":, {}", label));
    }
}
