package dfl.plan;

/** A density factor of the clean latent with a known log-density. */
public sealed interface FactorRef {

    /** log p(label | x) of a shipped classifier at logit temperature {@code temperature}. */
    record Classifier(String model, int label, double temperature) implements FactorRef {}
}
