package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Shape;
import dfl.runtime.schedule.NoiseSchedule;
import java.util.Optional;

/**
 * A {@link DiffusionModel} that forwards every method, default ones included, to another; wrappers extend it and
 * override only what they change. A wrapper written method by method silently drops a default method added later
 * (as {@link #dataRange()} once was, which hid W0006 behind the wrappers).
 */
public abstract class ForwardingDiffusionModel implements DiffusionModel {

    private final DiffusionModel delegate;

    protected ForwardingDiffusionModel(DiffusionModel delegate) {
        this.delegate = delegate;
    }

    /** The model every call goes to. */
    protected final DiffusionModel delegate() {
        return delegate;
    }

    @Override
    public Shape sampleShape() {
        return delegate.sampleShape();
    }

    @Override
    public NoiseSchedule schedule() {
        return delegate.schedule();
    }

    @Override
    public DataType dataType() {
        return delegate.dataType();
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        return delegate.eps(xt, trainStep);
    }

    @Override
    public NDArray score(NDArray xt, int trainStep) {
        return delegate.score(xt, trainStep);
    }

    @Override
    public boolean hasEnergy() {
        return delegate.hasEnergy();
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep) {
        return delegate.energy(xt, trainStep);
    }

    @Override
    public Optional<double[]> dataRange() {
        return delegate.dataRange();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
