package dfl.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Arithmetic with a number that is safe under autograd. DJL's {@code NDArray.mul(Number)} (and add, sub, div)
 * wraps the number in a temporary tensor over a direct buffer ({@code from_blob}) and closes it right after the
 * operation; autograd keeps that tensor for the backward pass, and once the garbage collector frees the buffer
 * the gradient is read from freed memory (measured: a TDS twist gradient of 1.3e307 instead of 1e-7 in about one
 * fresh JVM in five). Here the number becomes a tensor attached to the operand's manager, which outlives the
 * backward pass of the step. Use these in every computation a gradient is taken through.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code v} as a scalar tensor of {@code like}'s type, attached to {@code like}'s manager. */
    public static NDArray of(NDArray like, double v) {
        return like.getManager().create(v).toType(like.getDataType(), false);
    }

    /**
     * {@code a} as data type {@code type}, differentiably. DJL's {@code toType} detaches: its result has no autograd
     * history, so a float64 exact prior's x̂0 cast to a float32 network (a TorchScript factor or operator) would lose its
     * gradient ("element 0 of tensors does not require grad"). torch's cumprod with a dtype over an axis of length one is
     * the identity with the cast inside the graph.
     */
    public static NDArray cast(NDArray a, DataType type) {
        if (a.getDataType() == type) return a;
        return JniUtils.cumProd((PtNDArray) a.expandDims(a.getShape().dimension()), a.getShape().dimension(), type).squeeze(-1);
    }

    public static NDArray mul(NDArray a, double v) {
        return a.mul(of(a, v));
    }

    public static NDArray div(NDArray a, double v) {
        return a.div(of(a, v));
    }

    public static NDArray add(NDArray a, double v) {
        return a.add(of(a, v));
    }

    public static NDArray sub(NDArray a, double v) {
        return a.sub(of(a, v));
    }
}
