package dfl.plan;

/** A density factor of the clean latent with a known log-density. */
public sealed interface FactorRef {

    /**
     * Whether the factor is a function of the noisy x_t and its noise level (a noise-conditioned network, used on x_t
     * itself as in classifier guidance) rather than of the clean latent (evaluated at Tweedie's x̂0 during sampling).
     * The target's factor is then its value at training step 0.
     */
    default boolean noiseConditioned() {
        return false;
    }

    /** log p(label | x) of a shipped classifier at logit temperature {@code temperature}. */
    record Classifier(String model, int label, double temperature) implements FactorRef {}

    /**
     * {@code factor(torchscript(path, shape = [...]))}: a user network returning log f(x) per sample, over latents of
     * {@code shape}.
     */
    record TorchScript(String path, Shape shape, boolean noiseConditioned) implements FactorRef {}

    /**
     * {@code classifier(torchscript(path, shape = [...]), label = k, temperature = τ)}: log softmax(logits / τ)[label]
     * of a user network returning logits; {@code classes} is the declared number of classes (0: not declared, checked
     * against the logits when the model runs).
     */
    record TorchScriptClassifier(String path, Shape shape, int label, double temperature, int classes, boolean noiseConditioned)
            implements FactorRef {}
}
