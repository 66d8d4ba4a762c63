package dfl.stdlib.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.models.mnist.MnistDiffusion;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the shipped MNIST U-Nets share as runtime models ({@link MnistPrior}, {@link MnistConditionalPrior}): the
 * weights they own, images [1, 28, 28] in float32 within [−1, 1], the training schedule.
 */
abstract class MnistNetwork implements AutoCloseable {

    private final NDManager weights;
    final MnistDiffusion net;
    private final NoiseSchedule schedule;

    MnistNetwork(NDManager weights, MnistDiffusion net, Schedule schedule) {
        this.weights = weights;
        this.net = net;
        this.schedule = NoiseSchedule.of(schedule);
    }

    public Shape sampleShape() {
        return Shape.of(1, 28, 28);
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    public DataType dataType() {
        return DataType.FLOAT32;
    }

    /** The U-Nets were trained on images scaled to [−1, 1]. */
    public Optional<double[]> dataRange() {
        return Optional.of(new double[] {-1, 1});
    }

    /** {@code trainStep} for each of the {@code batch} particles, as the network takes it. */
    static float[] steps(long batch, int trainStep) {
        float[] t = new float[(int) batch];
        Arrays.fill(t, trainStep);
        return t;
    }

    @Override
    public void close() {
        weights.close();
    }
}
