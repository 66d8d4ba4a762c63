package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.TorchScriptOperator;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.model.Located;
import dfl.runtime.model.Scalars;
import dfl.runtime.model.TensorOperator;
import java.nio.file.Path;
import java.util.List;

/**
 * A user operator {@code op = torchscript("op.pt"); G(x) = op(x);} opened for a run: {@code forward(x)} with {@code x}
 * float32 {@code [B, ...input]} returning {@code [B, ...output]} (the shapes the compiler checked), differentiable in
 * {@code x}. An argument without the particle dimension (a constant) is passed as a batch of one. The expression's own
 * data type (float64 for exact priors) is restored on the way out, in the graph. Failures are placed at the call.
 */
final class TorchScriptOp implements TensorOperator {

    private final TorchScriptModule network;
    private final TorchScriptOperator spec;

    private TorchScriptOp(TorchScriptModule network, TorchScriptOperator spec) {
        this.network = network;
        this.spec = spec;
    }

    /** Loads the operator's file; {@code locate} resolves and access-checks the path written in the program. */
    static TorchScriptOp load(TorchScriptOperator spec, java.util.function.Function<String, Path> locate) {
        return Located.at(spec.span(), () -> new TorchScriptOp(TorchScriptModule.open(locate.apply(spec.path()), spec.path()), spec));
    }

    @Override
    public NDArray apply(List<NDArray> args, boolean[] batched, NDManager manager) {
        return Located.at(spec.span(), () -> call(args.get(0), batched[0]));
    }

    private NDArray call(NDArray arg, boolean batched) {
        NDArray x = batched ? arg : arg.expandDims(0);
        long k = x.getShape().get(0);
        NDArray in = Scalars.cast(x, DataType.FLOAT32);
        NDArray out = network.forward(new NDList(in), "x of shape " + in.getShape(),
                "(x: float32 [B, " + TorchScriptModule.dims(spec.input()) + "])");
        ai.djl.ndarray.types.Shape expected = new ai.djl.ndarray.types.Shape(k).addAll(ExprEvaluator.toDjl(spec.output()));
        if (!out.getShape().equals(expected)) {
            throw new DflRuntimeException(Code.E0305, spec.span(), "torchscript(\"" + spec.path() + "\") returned shape " + out.getShape() + " for a batch of "
                    + k + ", but the operator returns " + expected + " ([B, " + TorchScriptModule.dims(spec.output()) + "]) in the program;"
                    + " declare its per-sample output with torchscript(..., out_shape = [...]) (the default is the input's shape)");
        }
        if (out.isNaN().any().getBoolean()) {
            throw new DflRuntimeException(Code.E0303, spec.span(), "the operator torchscript(\"" + spec.path() + "\") returned NaN");
        }
        NDArray typed = Scalars.cast(out, arg.getDataType());
        return batched ? typed : typed.squeeze(0);
    }

    @Override
    public void close() {
        network.close();
    }
}
