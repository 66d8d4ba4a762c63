package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import java.util.List;

/**
 * What the runtime needs from outside (stdlib implements it): networks, classifiers, tensor built-ins and
 * data. The runtime itself handles {@link ModelRef.Gmm}, constants, the latent, arithmetic and matrix
 * products; every other plan node goes through here. Every method may throw {@link DflRuntimeException}
 * (e.g. {@link Code#E0301} for unreadable data, {@link Code#E0305} for an unknown model).
 */
public interface RuntimeProvider {

    /** A diffusion model for a non-GMM {@link ModelRef}; the caller closes it at the end of the run. */
    DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape sampleShape, NDManager manager);

    /** A factor such as a classifier; the caller closes it at the end of the run. */
    LogDensityFactor factor(FactorRef factor, Shape sampleShape, NDManager manager);

    /**
     * A tensor built-in ({@code mask}, {@code blur}, ...). {@code args} are the evaluated tensor arguments;
     * {@code batched[i]} says whether {@code args.get(i)} carries a leading particle dimension K. The result must
     * carry the particle dimension iff any argument does, be differentiable w.r.t. batched arguments, and be
     * attached to {@code manager}.
     */
    NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager manager);

    /**
     * The tensor built-in {@code call} opened for a run: loaded once (a user network's weights), applied at every step,
     * closed by the caller when the run ends. The default evaluates stateless built-ins through {@link #builtin}.
     */
    default TensorOperator operator(TensorExpr.Builtin call) {
        return (args, batched, manager) -> builtin(call, args, batched, manager);
    }

    /** Data of a {@link TensorExpr.Load} or {@link TensorExpr.Bound} node, with the node's shape, in {@code manager}. */
    NDArray data(TensorExpr node, NDManager manager);

    /** A provider that knows nothing: runs with only GMM priors and constant data work; anything else is an error. */
    RuntimeProvider NONE = new RuntimeProvider() {
        @Override
        public DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape shape, NDManager manager) {
            throw new DflRuntimeException(Code.E0305, "no provider for diffusion model " + model
                    + ": only gmm(...) priors run without the standard library");
        }

        @Override
        public LogDensityFactor factor(FactorRef factor, Shape shape, NDManager manager) {
            throw new DflRuntimeException(Code.E0305, "no provider for factor " + factor
                    + ": classifiers need the standard library");
        }

        @Override
        public NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager manager) {
            throw new DflRuntimeException(Code.E0305, "no provider for built-in operator '" + call.name()
                    + "': it needs the standard library");
        }

        @Override
        public NDArray data(TensorExpr node, NDManager manager) {
            throw new DflRuntimeException(Code.E0301, "no provider for data " + node
                    + ": loading files and bound values needs the standard library");
        }
    };
}
