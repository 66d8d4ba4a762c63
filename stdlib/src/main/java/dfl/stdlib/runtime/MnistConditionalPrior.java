package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.Condition;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.ConditionalDiffusionModel;
import dfl.runtime.schedule.NoiseSchedule;
import dfl.models.mnist.MnistDiffusion;
import java.util.Arrays;

/**
 * {@code diffusion("mnist", cond = k)}: the shipped class-conditional U-Net ε̂(x_t, t, label) as the runtime's
 * {@link ConditionalDiffusionModel}. Labels 0–9 are digits; {@code cond = null} is the network's null label (10), the
 * input it was trained with when the label was dropped.
 */
final class MnistConditionalPrior implements ConditionalDiffusionModel {

    private final NDManager weights;
    private final MnistDiffusion net;
    private final NoiseSchedule schedule;

    MnistConditionalPrior(NDManager weights, MnistDiffusion net, Schedule schedule) {
        this.weights = weights;
        this.net = net;
        this.schedule = NoiseSchedule.of(schedule);
    }

    @Override
    public Shape sampleShape() {
        return Shape.of(1, 28, 28);
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    public java.util.Optional<double[]> dataRange() {
        return java.util.Optional.of(new double[] {-1, 1});
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep, Condition condition) {
        int label;
        if (condition instanceof Condition.Label l) {
            label = l.index();
        } else if (condition instanceof Condition.Null) {
            label = net.nullLabel();
        } else {
            throw new DflRuntimeException(Code.E0305,
                    "the shipped MNIST conditional network takes a digit label (cond = 0 … 9) or cond = null, not a vector");
        }
        int batch = (int) xt.getShape().get(0);
        float[] t = new float[batch];
        Arrays.fill(t, trainStep);
        int[] labels = new int[batch];
        Arrays.fill(labels, label);
        return net.epsilon(xt, t, labels);
    }

    @Override
    public void close() {
        weights.close();
    }
}
