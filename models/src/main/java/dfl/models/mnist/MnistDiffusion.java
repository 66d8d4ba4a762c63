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
 * A loaded MNIST ε-prediction model: ε̂(x_t, t) for a batch, with its DDPM schedule, and for a
 * class-conditional model ε̂(x_t, t, c) as well.
 * Conventions (DESIGN §2): images in [-1, 1], x_t = √ᾱ_t x_0 + √(1−ᾱ_t) ε, t an index
 * 0..T−1 into {@link Schedule#alphaBars()} (fractional values are accepted by the network's
 * sinusoidal embedding, but the model was trained on integers).
 *
 * <p>Labels of a conditional model ({@link #classes()} &gt; 0, e.g. {@code mnist-unet-cond} with 10):
 * {@code 0..classes−1} are the digits and {@link #nullLabel()} {@code = classes} is the null condition,
 * the unconditional model learnt by label dropout; {@link #epsilon(NDArray, NDArray)} of a conditional
 * model is the null condition.
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
        return net.forward(ps, new NDList(xt, asFloat(t)), false).singletonOrThrow();
    }

    /**
     * ε̂(x_t, t, c) of a conditional model. Differentiable with respect to {@code xt} inside a
     * {@code GradientCollector}.
     *
     * @param xt noisy images [B,1,28,28], float32
     * @param t per-sample steps [B] (float or integer)
     * @param labels per-sample labels [B] (float or integer): a class {@code 0..classes−1}, or {@link #nullLabel()}
     * @return ε̂ [B,1,28,28], on the manager of {@code xt}
     * @throws IllegalStateException if the model is unconditional
     * @throws IllegalArgumentException if a label is not an integer in {@code 0..nullLabel()} or the batch sizes differ
     */
    public NDArray epsilon(NDArray xt, NDArray t, NDArray labels) {
        if (!net.config().conditional()) {
            throw new IllegalStateException("this MNIST diffusion model is unconditional: it takes no labels");
        }
        long b = xt.getShape().get(0);
        if (labels.getShape().dimension() != 1 || labels.getShape().get(0) != b) {
            throw new IllegalArgumentException("labels must have shape [" + b + "], got " + labels.getShape());
        }
        for (double c : labels.toType(DataType.FLOAT64, false).toDoubleArray()) {
            if (c != Math.rint(c) || c < 0 || c > nullLabel()) {
                throw new IllegalArgumentException("label " + c + " is not an integer in 0.." + nullLabel()
                        + " (0.." + (nullLabel() - 1) + " classes, " + nullLabel() + " the null label)");
            }
        }
        return net.forward(ps, new NDList(xt, asFloat(t), labels), false).singletonOrThrow();
    }

    /** ε̂(x_t, t, c) with steps and labels given as Java arrays (created on the manager of {@code xt}). */
    public NDArray epsilon(NDArray xt, float[] t, int[] labels) {
        return epsilon(xt, xt.getManager().create(t), xt.getManager().create(labels));
    }

    /** @return the number of class labels, 0 for an unconditional model */
    public int classes() {
        return net.config().classes();
    }

    /**
     * @return the null label ({@code = classes()}): the condition that stands for "no label"
     * @throws IllegalStateException if the model is unconditional
     */
    public int nullLabel() {
        if (!net.config().conditional()) {
            throw new IllegalStateException("an unconditional model has no null label");
        }
        return net.config().classes();
    }

    private static NDArray asFloat(NDArray t) {
        return t.getDataType() == DataType.FLOAT32 ? t : t.toType(DataType.FLOAT32, false);
    }

    /** ε̂(x_t, t) with the steps given as a Java array (created on the manager of {@code xt}). */
    public NDArray epsilon(NDArray xt, float[] t) {
        return epsilon(xt, xt.getManager().create(t));
    }

    /** @return the underlying block (inputs {@code NDList(x_t, t)}, or {@code NDList(x_t, t, c)} when conditional; frozen parameters) */
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
