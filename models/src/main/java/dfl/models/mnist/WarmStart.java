package dfl.models.mnist;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Initialises a class-conditional U-Net from trained unconditional weights: every parameter the two networks share
 * is copied, and the label embedding keeps its zero initialisation, so at step 0 ε̂(x_t, t, c) = ε̂(x_t, t) for every
 * label c, the null label included. Fine-tuning then only has to learn what the label adds.
 */
final class WarmStart {
    private final UNet source;
    private final String description;

    private WarmStart(UNet source, String description) {
        this.source = source;
        this.description = description;
    }

    /**
     * Loads the unconditional weights {@code mnist-unet.params/.properties}.
     *
     * @param dir their folder, or null for the shipped ones on the classpath
     */
    static WarmStart load(NDManager manager, Path dir) throws IOException {
        MnistDiffusion m = MnistModels.loadDiffusion(manager, dir);
        if (m.classes() != 0) {
            throw new IOException("warm start needs an unconditional " + MnistModels.DIFFUSION + " network");
        }
        Properties p = m.properties();
        String from = dir == null ? "shipped " + MnistModels.DIFFUSION + ".params" : dir.resolve(MnistModels.DIFFUSION + ".params").toString();
        return new WarmStart((UNet) m.block(), from + " (" + p.getProperty("weights", "?") + " weights at step "
                + p.getProperty("train.steps", "?") + "), label embedding zero");
    }

    /** @return the architecture of the source with {@code classes} labels */
    UNet.Config config(int classes) {
        return source.config().withClasses(classes);
    }

    /** @return where the weights came from, for the model's properties */
    String description() {
        return description;
    }

    /** Copies the shared parameters into {@code target} and zeroes its label embedding. */
    void apply(UNet target) {
        if (!target.config().equals(config(target.config().classes()))) {
            throw new IllegalArgumentException("architectures differ: " + source.config() + " vs " + target.config());
        }
        var from = source.getParameters();
        for (var e : target.getParameters()) {
            Parameter p = from.get(e.getKey());
            if (p != null) {
                e.getValue().getArray().set(p.getArray().toByteBuffer());
            } else if (e.getKey().equals(UNet.LABEL_EMBEDDING)) {
                e.getValue().getArray().set(new float[(int) e.getValue().getArray().size()]);
            } else {
                throw new IllegalStateException("no source weights for " + e.getKey());
            }
        }
    }
}
