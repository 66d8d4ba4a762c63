package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.util.Properties;

/**
 * A loaded MNIST ε-prediction model: ε̂(x_t, t) for a batch, with its DDPM schedule.
 * Conventions (DESIGN §2): images in [-1, 1], x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε, t an index
 * 0..T−1 into {@link Schedule#alphaBars()} (fractional values are accepted by the network's
 * sinusoidal embedding, but the model was trained on integers).
 */
public final class MnistDiffusion {
    private final UNet net;
    private final Schedule schedule;
    private final Properties properties;
    private final ParameterStore ps;

    MnistDiffusion(UNet net, Schedule schedule, Properties properties, NDManager manager) {
        this.net = net;
        this.schedule = schedule;
        this.properties = properties;
        this.ps = new ParameterStore(manager, false);
    }

    /**
     * ε̂(x_t, t). Differentiable with respect to {@code xt} inside a {@code GradientCollector}.
     *
     * @param xt noisy images [B,1,28,28], float32
     * @param t per-sample steps [B] (float or integer)
     * @return ε̂ [B,1,28,28], on the manager of {@code xt}
     */
    public NDArray epsilon(NDArray xt, NDArray t) {
        if (t.getDataType() != DataType.FLOAT32) {
            t = t.toType(DataType.FLOAT32, false);
        }
        return net.forward(ps, new NDList(xt, t), false).singletonOrThrow();
    }

    /** ε̂(x_t, t) with the steps given as a Java array (created on the manager of {@code xt}). */
    public NDArray epsilon(NDArray xt, float[] t) {
        return epsilon(xt, xt.getManager().create(t));
    }

    /** @return the underlying block (inputs {@code NDList(x_t, t)}, frozen parameters) */
    public Block block() {
        return net;
    }

    /** @return the training schedule (T = 1000, linear β) */
    public Schedule schedule() {
        return schedule;
    }

    /** @return architecture and training facts stored with the weights */
    public Properties properties() {
        return properties;
    }
}
