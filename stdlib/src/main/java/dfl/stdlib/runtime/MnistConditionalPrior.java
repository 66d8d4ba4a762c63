package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.models.mnist.MnistDiffusion;
import dfl.plan.Condition;
import dfl.plan.Schedule;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.ConditionalDiffusionModel;
import java.util.Arrays;

/**
 * {@code diffusion("mnist", cond = k)}: the shipped class-conditional U-Net ε̂(x_t, t, label) as the runtime's
 * {@link ConditionalDiffusionModel}. Labels 0–9 are digits; {@code cond = null} is the network's null label (10), the
 * input it was trained with when the label was dropped.
 */
final class MnistConditionalPrior extends MnistNetwork implements ConditionalDiffusionModel {

    MnistConditionalPrior(NDManager weights, MnistDiffusion net, Schedule schedule) {
        super(weights, net, schedule);
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
        long batch = xt.getShape().get(0);
        int[] labels = new int[(int) batch];
        Arrays.fill(labels, label);
        return net.epsilon(xt, steps(batch, trainStep), labels);
    }
}
