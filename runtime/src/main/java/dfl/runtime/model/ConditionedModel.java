package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Condition;
import dfl.plan.Shape;
import dfl.runtime.schedule.NoiseSchedule;

/** {@link ConditionalDiffusionModel#given}: a conditional network with its condition fixed, as a prior; owns the network. */
final class ConditionedModel implements DiffusionModel {

    private final ConditionalDiffusionModel network;
    private final Condition condition;

    ConditionedModel(ConditionalDiffusionModel network, Condition condition) {
        this.network = network;
        this.condition = condition;
    }

    @Override
    public Shape sampleShape() {
        return network.sampleShape();
    }

    @Override
    public NoiseSchedule schedule() {
        return network.schedule();
    }

    @Override
    public DataType dataType() {
        return network.dataType();
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        return network.eps(xt, trainStep, condition);
    }

    @Override
    public NDArray score(NDArray xt, int trainStep) {
        return network.score(xt, trainStep, condition);
    }

    @Override
    public java.util.Optional<double[]> dataRange() {
        return network.dataRange();
    }

    @Override
    public boolean hasEnergy() {
        return network.hasEnergy();
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep) {
        return network.energy(xt, trainStep, condition);
    }

    @Override
    public void close() {
        network.close();
    }
}
