package dfl.plan;

import dfl.source.Span;
import java.util.Map;

/**
 * The options of a user operator {@code op = torchscript("op.pt"); G(x) = op(x);}: the call of a TorchScript network
 * inside an expression, a {@link TensorExpr.Builtin} named {@value #NAME} with one tensor argument. The network maps
 * {@code [B, ...input]} to {@code [B, ...output]} (float32); both shapes are known at compile time, so the expressions
 * around the call are shape-checked. {@code span} is the call in the source, for run-time diagnostics.
 */
public record TorchScriptOperator(String path, Shape input, Shape output, Span span) implements BuiltinOptions {

    /** The built-in's name in {@link TensorExpr.Builtin#name()}. */
    public static final String NAME = "torchscript";

    @Override
    public Map<String, Object> shown() {
        return Map.of("path", path);
    }
}
