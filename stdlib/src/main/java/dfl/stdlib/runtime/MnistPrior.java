package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.schedule.NoiseSchedule;
import dfl.models.mnist.MnistDiffusion;
import java.util.Arrays;

/** {@code diffusion("mnist")}: the shipped U-Net ε-model as the runtime's {@link DiffusionModel}. */
final class MnistPrior implements DiffusionModel {

    private final NDManager weights;
    private final MnistDiffusion net;
    private final NoiseSchedule schedule;

    MnistPrior(NDManager weights, MnistDiffusion net, Schedule schedule) {
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
    public NDArray eps(NDArray xt, int trainStep) {
        float[] t = new float[(int) xt.getShape().get(0)];
        Arrays.fill(t, trainStep);
        return net.epsilon(xt, t);
    }

    @Override
    public boolean hasEnergy() {
        return false;
    }

    /** The U-Net was trained on images scaled to [−1, 1]. */
    @Override
    public java.util.Optional<double[]> dataRange() {
        return java.util.Optional.of(new double[] {-1, 1});
    }

    @Override
    public void close() {
        weights.close();
    }
}
