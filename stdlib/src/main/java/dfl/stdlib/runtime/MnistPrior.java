package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.models.mnist.MnistDiffusion;
import dfl.plan.Schedule;
import dfl.runtime.model.DiffusionModel;

/** {@code diffusion("mnist")}: the shipped U-Net ε-model as the runtime's {@link DiffusionModel}. */
final class MnistPrior extends MnistNetwork implements DiffusionModel {

    MnistPrior(NDManager weights, MnistDiffusion net, Schedule schedule) {
        super(weights, net, schedule);
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        return net.epsilon(xt, steps(xt.getShape().get(0), trainStep));
    }

    @Override
    public boolean hasEnergy() {
        return false;
    }
}
