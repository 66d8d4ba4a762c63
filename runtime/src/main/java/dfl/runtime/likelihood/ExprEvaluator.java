package dfl.runtime.likelihood;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.model.TensorOperator;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link TensorExpr} into differentiable DJL operations over all particles at once. The latent
 * enters as one array of shape [K, ...shape]; per-particle shapes in the expression are aligned so that
 * broadcasting never mixes the particle dimension with a data dimension. Constants and data are read once
 * (data through the {@link RuntimeProvider}) and kept as Java arrays, then created in the caller's per-step
 * manager so nothing outlives the step. Built-in operators are opened once through the provider and closed by
 * {@link #close()} (a user network's weights live until then).
 */
public final class ExprEvaluator implements AutoCloseable {

    private final RuntimeProvider provider;
    private final DataType dtype;
    private final Map<TensorExpr, double[]> constants = new IdentityHashMap<>();
    private final Map<TensorExpr.Builtin, TensorOperator> operators = new IdentityHashMap<>();

    /** An evaluator creating constants of {@code dtype} (the latent's type). */
    public ExprEvaluator(RuntimeProvider provider, DataType dtype) {
        this.provider = provider;
        this.dtype = dtype;
    }

    /** The data type constants are created in (the latent's). */
    public DataType dataType() {
        return dtype;
    }

    /** The expression at latent {@code x} ([K, ...latentShape], in manager {@code m}). */
    public Batched evaluate(TensorExpr e, NDArray x, NDManager m) {
        if (e instanceof TensorExpr.Latent) return new Batched(x, true);
        if (e instanceof TensorExpr.Const || e instanceof TensorExpr.Load || e instanceof TensorExpr.Bound) {
            return new Batched(constant(e, m), false);
        }
        if (e instanceof TensorExpr.Neg n) {
            Batched v = evaluate(n.operand(), x, m);
            return new Batched(v.array().neg(), v.batched());
        }
        if (e instanceof TensorExpr.Binary b) return binary(b, evaluate(b.left(), x, m), evaluate(b.right(), x, m));
        if (e instanceof TensorExpr.Builtin b) return builtin(b, x, m);
        if (e instanceof TensorExpr.Apply a) return apply(a, x, m);
        throw new IllegalArgumentException("unknown expression node " + e);
    }

    /** A constant (no latent inside) evaluated in {@code m}; errors if the expression depends on the latent. */
    public NDArray constant(TensorExpr e, NDManager m) {
        double[] v = constants.get(e);
        if (v == null) {
            v = readConstant(e);
            constants.put(e, v);
        }
        return m.create(v, toDjl(e.shape())).toType(dtype, false);
    }

    private double[] readConstant(TensorExpr e) {
        if (e instanceof TensorExpr.Const c) {
            double[] v = c.values().stream().mapToDouble(Double::doubleValue).toArray();
            if (v.length != c.shape().size()) {
                throw new IllegalArgumentException("constant has " + v.length + " values for shape " + c.shape());
            }
            return v;
        }
        if (e instanceof TensorExpr.Load || e instanceof TensorExpr.Bound) return readData(e);
        try (NDManager tmp = NDManager.newBaseManager()) {
            Batched b = evaluate(e, null, tmp);
            if (b.batched()) throw new IllegalStateException("expression depends on the latent: " + e);
            return b.array().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private double[] readData(TensorExpr e) {
        try (NDManager tmp = NDManager.newBaseManager()) {
            NDArray a = provider.data(e, tmp);
            if (a.size() != e.shape().size()) {
                throw new DflRuntimeException(Code.E0302, "data has " + a.size() + " elements but the model expects shape "
                        + e.shape());
            }
            return a.toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private Batched builtin(TensorExpr.Builtin b, NDArray x, NDManager m) {
        List<NDArray> args = new ArrayList<>();
        boolean[] batched = new boolean[b.args().size()];
        boolean any = false;
        for (int i = 0; i < batched.length; i++) {
            Batched v = evaluate(b.args().get(i), x, m);
            args.add(v.array());
            batched[i] = v.batched();
            any |= v.batched();
        }
        TensorOperator op = operators.get(b);
        if (op == null) {
            op = provider.operator(b);
            operators.put(b, op);
        }
        return new Batched(op.apply(args, batched, m), any);
    }

    private Batched apply(TensorExpr.Apply a, NDArray x, NDManager m) {
        List<NDArray> args = new ArrayList<>();
        boolean first = false;
        for (int i = 0; i < a.args().size(); i++) {
            Batched v = evaluate(a.args().get(i), x, m);
            args.add(v.array());
            if (i == 0) first = v.batched();
        }
        return new Batched(Primitives.apply(a, args, first), first);
    }

    private static Batched binary(TensorExpr.Binary b, Batched l, Batched r) {
        if (b.op() == TensorExpr.Op.MATMUL) return matmul(b, l, r);
        int rank = b.shape().rank();
        NDArray la = align(l, b.left().shape(), rank);
        NDArray ra = align(r, b.right().shape(), rank);
        NDArray out = switch (b.op()) {
            case ADD -> la.add(ra);
            case SUB -> la.sub(ra);
            case MUL -> la.mul(ra);
            case DIV -> la.div(ra);
            case POW -> la.pow(ra);
            case MATMUL -> throw new AssertionError();
        };
        return new Batched(out, l.batched() || r.batched());
    }

    /** A batched operand of lower per-particle rank gets 1-dims after K so right-aligned broadcasting is per particle. */
    private static NDArray align(Batched v, Shape shape, int rank) {
        if (!v.batched() || shape.rank() == rank) return v.array();
        long[] dims = new long[rank + 1];
        dims[0] = v.array().getShape().get(0);
        for (int i = 1; i <= rank - shape.rank(); i++) dims[i] = 1;
        for (int i = 0; i < shape.rank(); i++) dims[rank - shape.rank() + 1 + i] = shape.dim(i);
        return v.array().reshape(dims);
    }

    private static Batched matmul(TensorExpr.Binary b, Batched l, Batched r) {
        int lr = b.left().shape().rank(), rr = b.right().shape().rank();
        if (lr != 2 || (rr != 1 && rr != 2)) {
            throw new IllegalArgumentException("@ needs [m, n] @ [n] or [m, n] @ [n, k], got " + b.left().shape() + " @ "
                    + b.right().shape());
        }
        NDArray la = l.array(), ra = r.array();
        NDArray out;
        if (rr == 1 && r.batched() && !l.batched()) {
            out = ra.matMul(la.transpose());                    // [K, n] @ [n, m]
        } else if (rr == 1 && r.batched()) {
            out = la.matMul(ra.expandDims(2)).squeeze(2);        // [K, m, n] @ [K, n, 1]
        } else {
            out = la.matMul(ra);                                 // broadcasting batch matmul covers the rest
        }
        return new Batched(out, l.batched() || r.batched());
    }

    /** The DJL shape of a plan shape. */
    public static ai.djl.ndarray.types.Shape toDjl(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i);
        return new ai.djl.ndarray.types.Shape(d);
    }

    /** Closes the operators opened so far. */
    @Override
    public void close() {
        for (TensorOperator op : operators.values()) {
            try {
                op.close();
            } catch (RuntimeException e) {
                // closing native memory must not mask the run's outcome
            }
        }
        operators.clear();
    }
}
