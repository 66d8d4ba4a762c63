package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.Scalars;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code factor(torchscript("f.pt", shape = [...]))} and {@code classifier(torchscript("clf.pt", shape = [...]), label =
 * k, temperature = τ)}: a user network as the runtime's {@link LogDensityFactor}.
 *
 * <p>Calling convention (docs/models.md): {@code forward(x)} with {@code x} float32 {@code [B, ...shape]}, or
 * {@code forward(x_t, t)} with {@code t} float32 {@code [B]} (the 0-based training step, as for priors) when
 * {@code noise_conditioned = true}. A factor returns log f, float32 {@code [B]}; a classifier returns logits
 * {@code [B, classes]}, of which the factor is log softmax(logits / τ)[label]. A NaN output is E0303; a wrong shape or a
 * failing forward E0305.
 */
final class TorchScriptFactor implements LogDensityFactor {

    private final TorchScriptModule network;
    private final Shape shape;
    private final boolean noiseConditioned;
    /** The label of a classifier; −1 for a log-density network. */
    private final int label;
    private final double temperature;
    private final int classes;

    private TorchScriptFactor(TorchScriptModule network, Shape shape, boolean noiseConditioned, int label, double temperature, int classes) {
        this.network = network;
        this.shape = shape;
        this.noiseConditioned = noiseConditioned;
        this.label = label;
        this.temperature = temperature;
        this.classes = classes;
    }

    /** Loads the network of {@code ref} from {@code file} (resolved and access-checked by the provider). */
    static TorchScriptFactor load(Path file, FactorRef ref) {
        if (ref instanceof FactorRef.TorchScript t) {
            return new TorchScriptFactor(TorchScriptModule.open(file, t.path()), t.shape(), t.noiseConditioned(), -1, 1.0, 0);
        }
        FactorRef.TorchScriptClassifier c = (FactorRef.TorchScriptClassifier) ref;
        return new TorchScriptFactor(TorchScriptModule.open(file, c.path()), c.shape(), c.noiseConditioned(), c.label(), c.temperature(),
                c.classes());
    }

    @Override
    public boolean noiseConditioned() {
        return noiseConditioned;
    }

    @Override
    public NDArray logDensity(NDArray x0) {
        return evaluate(x0, 0);
    }

    @Override
    public NDArray logDensity(NDArray xt, int trainStep) {
        if (!noiseConditioned) throw new UnsupportedOperationException("this factor is a function of the clean latent only");
        return evaluate(xt, trainStep);
    }

    private NDArray evaluate(NDArray x, int trainStep) {
        long k = x.getShape().get(0);
        NDList in = new NDList(x);
        String got = "x of shape " + x.getShape();
        String takes = "(x: float32 [B, " + TorchScriptModule.dims(shape) + "]";
        if (noiseConditioned) {
            float[] t = new float[(int) k];
            Arrays.fill(t, trainStep);
            in.add(x.getManager().create(t));
            got += " and t of shape [" + k + "]";
            takes += ", t: float32 [B]";
        }
        NDArray out = network.forward(in, got, takes + ")");
        NDArray log = label < 0 ? checkLogDensity(out, k) : Logits.logProbability(checkLogits(out, k), label, temperature);
        if (log.isNaN().any().getBoolean()) {
            throw new DflRuntimeException(Code.E0303, "torchscript(\"" + network.name() + "\") returned NaN"
                    + (noiseConditioned ? " at training step " + trainStep : "") + "; a " + (label < 0 ? "log-density" : "classifier's logits")
                    + " must be numbers (−inf is a zero density)");
        }
        return log;
    }

    private NDArray checkLogDensity(NDArray out, long k) {
        if (out.getShape().dimension() != 1 || out.getShape().get(0) != k) {
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + network.name() + "\") returned shape " + out.getShape()
                    + " for a batch of " + k + ", but a factor must return its log-density as one number per sample, shape (" + k + ")");
        }
        return Scalars.cast(out, DataType.FLOAT32);
    }

    private NDArray checkLogits(NDArray out, long k) {
        ai.djl.ndarray.types.Shape s = out.getShape();
        boolean ok = s.dimension() == 2 && s.get(0) == k && (classes == 0 || s.get(1) == classes);
        if (!ok) {
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + network.name() + "\") returned shape " + s + " for a batch of " + k
                    + ", but a classifier must return logits of shape (" + k + ", " + (classes > 0 ? classes : "classes") + ")"
                    + (classes > 0 ? " (declared classes = " + classes + ")" : ""));
        }
        if (label >= s.get(1)) {
            throw new DflRuntimeException(Code.E0305, "label " + label + " is out of range: torchscript(\"" + network.name() + "\") returns "
                    + s.get(1) + " logits, for classes 0 to " + (s.get(1) - 1));
        }
        return Scalars.cast(out, DataType.FLOAT32);
    }

    @Override
    public void close() {
        network.close();
    }
}
