package dfl.stdlib.builtins;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Primitive;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.DoubleUnaryOperator;

/**
 * The differentiable forward operators of {@code G(x)} that the runtime evaluates itself ({@link Primitive}):
 * elementwise functions, {@code sum} and {@code mean} over axes, {@code reshape}, {@code conv2d} with a user kernel and
 * {@code abs_fft2}. Shapes are checked here; numbers and constant tensors fold through the elementwise functions.
 */
final class OperatorBuiltins {

    private OperatorBuiltins() {}

    static List<Builtin> all() {
        List<Builtin> all = new ArrayList<>();
        all.add(elementwise(Primitive.Function.EXP, Math::exp, "e^x, elementwise.", null));
        all.add(elementwise(Primitive.Function.LOG, Math::log, "The natural logarithm, elementwise (the argument must be positive).", "positive"));
        all.add(elementwise(Primitive.Function.TANH, Math::tanh, "tanh(x), elementwise.", null));
        all.add(elementwise(Primitive.Function.SIGMOID, v -> 1 / (1 + Math.exp(-v)), "1 / (1 + e^−x), elementwise.", null));
        all.add(elementwise(Primitive.Function.SOFTPLUS, v -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))),
                "log(1 + e^x), elementwise: a smooth positive link, e.g. Poisson(softplus(G(x))).", null));
        all.add(elementwise(Primitive.Function.ABS, Math::abs, "|x|, elementwise.", null));
        all.add(elementwise(Primitive.Function.SQRT, Math::sqrt, "The square root, elementwise (the argument must not be negative).", "non-negative"));
        all.add(new Fn("sum", Signature.of(Param.required("x", "a tensor"), Param.optional("axis", "an axis or a vector of axes; default all")),
                "The sum over the given axes (negative axes count from the end), which are removed from the shape.",
                (call, args) -> reduce(args, false)));
        all.add(new Fn("mean", Signature.of(Param.required("x", "a tensor"), Param.optional("axis", "an axis or a vector of axes; default all")),
                "The mean over the given axes (negative axes count from the end), which are removed from the shape.",
                (call, args) -> reduce(args, true)));
        all.add(new Fn("reshape", Signature.of(Param.required("x", "a tensor"), Param.required("shape", "the new shape, e.g. [28, 28]; one -1 is inferred")),
                "The same elements in row-major order with a new shape of the same size.", OperatorBuiltins::reshape));
        all.add(new Fn("conv2d", Signature.of(Param.required("x", "an image tensor [..., h, w]"), Param.required("kernel", "a [kh, kw] tensor free of the latent"),
                Param.optional("padding", "\"valid\" (default), \"same\" or \"full\"")),
                "2-D cross-correlation with a user kernel over the last two axes, as PyTorch's conv2d (zero padding).",
                OperatorBuiltins::conv2d));
        all.add(new Fn("abs_fft2", Signature.of(Param.required("x", "an image tensor [..., h, w]")),
                "|FFT2(x)|: the modulus of the unnormalised 2-D discrete Fourier transform over the last two axes (phase retrieval).",
                OperatorBuiltins::absFft2));
        return all;
    }

    /** An elementwise function; {@code domain} names the arguments it is defined on ("positive"), or null for all. */
    private static Builtin elementwise(Primitive.Function f, DoubleUnaryOperator math, String summary, String domain) {
        String name = f.name().toLowerCase(Locale.ROOT);
        return new Fn(name, Signature.of(Param.required("x", "a tensor or a number")), summary, (call, args) -> {
            Optional<Value> v = args.value("x");
            if (v.isEmpty() || v.get() instanceof Value.Error) return new Value.Error();
            if (v.get() instanceof Value.Num n) {
                double r = math.applyAsDouble(n.value());
                if (Double.isNaN(r) || Double.isInfinite(r) && Double.isFinite(n.value())) return outsideDomain(args, name, n.value(), domain);
                return new Value.Num(r);
            }
            if (!(v.get() instanceof Value.Tensor t)) {
                args.kindError("x", "a tensor or a number", v.get());
                return new Value.Error();
            }
            if (t.expr() instanceof TensorExpr.Const c) {
                double[] out = new double[c.values().size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = math.applyAsDouble(c.values().get(i));
                    if (Double.isNaN(out[i]) || Double.isInfinite(out[i]) && Double.isFinite(c.values().get(i))) {
                        return outsideDomain(args, name, c.values().get(i), domain);
                    }
                }
                List<Double> vs = new ArrayList<>();
                for (double o : out) vs.add(o);
                return new Value.Tensor(c.shape(), new TensorExpr.Const(vs, c.shape()), false);
            }
            return new Value.Tensor(t.shape(), new TensorExpr.Apply(new Primitive.Elementwise(f), List.of(t.expr()), t.shape()), t.dependsOnLatent());
        });
    }

    private static Value outsideDomain(Args args, String name, double v, String domain) {
        args.invalid("x", name + "(...) of " + Args.fmt(v) + (domain == null ? " overflows." : " is undefined: its argument must be " + domain + "."));
        return new Value.Error();
    }

    /** The tensor argument {@code name} with a known shape of rank at least {@code minRank}; reports otherwise. */
    private static Optional<Value.Tensor> shaped(Args args, String fn, String name, int minRank, String what) {
        Optional<Value> v = args.value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (!(v.get() instanceof Value.Tensor t)) {
            args.kindError(name, what, v.get());
            return Optional.empty();
        }
        if (t.shape() == null) {
            args.error(Diagnostic.error(Code.E0108, args.span(name), "the shape of this argument is not known before its data is read.",
                    "Give the shape when loading: load(\"y.npy\", shape = [28, 28])."));
            return Optional.empty();
        }
        if (t.shape().rank() < minRank) {
            args.error(Diagnostic.error(Code.E0108, args.span(name), "'" + name + "' of " + fn + "(...) must be " + what + ", but this is "
                    + t.describe() + "."));
            return Optional.empty();
        }
        return Optional.of(t);
    }

    /** The whole numbers of a number or a constant vector argument, if it is one (reports E0113 otherwise). */
    private static Optional<List<Integer>> integers(Args args, String name, String expected) {
        Optional<Value> v = args.value(name);
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        List<Double> raw;
        if (v.get() instanceof Value.Num n) raw = List.of(n.value());
        else if (v.get() instanceof Value.Tensor t && t.expr() instanceof TensorExpr.Const c && c.shape().rank() == 1) raw = c.values();
        else {
            args.invalid(name, "'" + name + "' must be " + expected + ", but this is " + v.get().describe() + ".");
            return Optional.empty();
        }
        List<Integer> out = new ArrayList<>();
        for (double d : raw) {
            if (d != Math.rint(d) || Math.abs(d) > 1e9) {
                args.invalid(name, "'" + name + "' must be " + expected + ", got " + Args.fmt(d) + ".");
                return Optional.empty();
            }
            out.add((int) d);
        }
        return Optional.of(out);
    }

    private static Value reduce(Args args, boolean mean) {
        Optional<Value.Tensor> x = shaped(args, mean ? "mean" : "sum", "x", 0, "a tensor");
        if (x.isEmpty()) return new Value.Error();
        Shape in = x.get().shape();
        TreeSet<Integer> axes = new TreeSet<>();
        if (args.has("axis")) {
            Optional<List<Integer>> given = integers(args, "axis", "a whole number or a vector of whole numbers");
            if (given.isEmpty()) return new Value.Error();
            for (int a : given.get()) {
                int axis = a < 0 ? a + in.rank() : a;
                if (axis < 0 || axis >= in.rank()) {
                    args.invalid("axis", "axis " + a + " is out of range for a tensor of shape " + in + ".",
                            in.rank() == 0 ? "A number has no axes: drop 'axis'." : "Axes run from 0 to " + (in.rank() - 1) + ", or from −" + in.rank() + " to −1.");
                    return new Value.Error();
                }
                if (!axes.add(axis)) {
                    args.invalid("axis", "axis " + a + " is given twice.");
                    return new Value.Error();
                }
            }
        } else {
            for (int a = 0; a < in.rank(); a++) axes.add(a);
        }
        List<Integer> dims = new ArrayList<>();
        for (int a = 0; a < in.rank(); a++) if (!axes.contains(a)) dims.add(in.dim(a));
        Shape out = new Shape(dims);
        return new Value.Tensor(out, new TensorExpr.Apply(new Primitive.Reduce(mean, List.copyOf(axes)), List.of(x.get().expr()), out),
                x.get().dependsOnLatent());
    }

    private static Value reshape(Expr.Call call, Args args) {
        Optional<Value.Tensor> x = shaped(args, "reshape", "x", 0, "a tensor");
        Optional<List<Integer>> dims = integers(args, "shape", "a vector of whole numbers, e.g. [28, 28]");
        if (x.isEmpty() || dims.isEmpty()) return new Value.Error();
        long size = x.get().shape().size();
        int inferred = -1;
        long known = 1;
        List<Integer> out = new ArrayList<>(dims.get());
        for (int i = 0; i < out.size(); i++) {
            int d = out.get(i);
            if (d == -1 && inferred < 0) inferred = i;
            else if (d < 1) {
                args.invalid("shape", "dimension " + d + " is not allowed: dimensions are positive, and one of them may be −1 (inferred).");
                return new Value.Error();
            } else known *= d;
        }
        if (inferred >= 0) {
            if (size % known != 0) return sizeMismatch(args, x.get().shape(), dims.get());
            out.set(inferred, (int) (size / known));
            known *= size / known;
        }
        if (known != size) return sizeMismatch(args, x.get().shape(), dims.get());
        Shape shape = new Shape(out);
        return new Value.Tensor(shape, new TensorExpr.Apply(new Primitive.Reshape(), List.of(x.get().expr()), shape), x.get().dependsOnLatent());
    }

    private static Value sizeMismatch(Args args, Shape in, List<Integer> dims) {
        args.error(Diagnostic.error(Code.E0108, args.span("shape"), "a tensor of shape " + in + " has " + in.size()
                + " elements and cannot be reshaped to " + dims + ".", "The new shape must have the same number of elements."));
        return new Value.Error();
    }

    private static Value conv2d(Expr.Call call, Args args) {
        Optional<Value.Tensor> x = shaped(args, "conv2d", "x", 2, "an image tensor with at least 2 dimensions");
        Optional<Value.Tensor> k = shaped(args, "conv2d", "kernel", 2, "a [kh, kw] kernel");
        String pad = args.string("padding").orElse("valid");
        Optional<Primitive.Padding> padding = List.of("valid", "same", "full").contains(pad)
                ? Optional.of(Primitive.Padding.valueOf(pad.toUpperCase(Locale.ROOT))) : Optional.empty();
        if (padding.isEmpty() && args.has("padding") && !args.failed()) {
            args.invalid("padding", "'" + pad + "' is not a padding.", dfl.diag.Suggest.closest(pad, List.of("valid", "same", "full"))
                    .map(s -> "Did you mean \"" + s + "\"?").orElse("Paddings: \"valid\", \"same\", \"full\"."));
        }
        if (x.isEmpty() || k.isEmpty() || padding.isEmpty()) return new Value.Error();
        Shape ks = k.get().shape();
        if (ks.rank() != 2) {
            args.error(Diagnostic.error(Code.E0108, args.span("kernel"), "the kernel must be a [kh, kw] matrix, but this is " + k.get().describe() + "."));
            return new Value.Error();
        }
        if (k.get().dependsOnLatent()) {
            args.invalid("kernel", "the kernel depends on the latent; conv2d takes a fixed kernel (data or constants).");
            return new Value.Error();
        }
        Shape in = x.get().shape();
        int r = in.rank(), h = in.dim(r - 2), w = in.dim(r - 1), kh = ks.dim(0), kw = ks.dim(1);
        int oh, ow;
        switch (padding.get()) {
            case SAME -> {
                if (kh % 2 == 0 || kw % 2 == 0) {
                    args.invalid("padding", "padding \"same\" needs odd kernel sizes, but the kernel is " + ks + ".",
                            "Pad the kernel with a row or column of zeros, or use \"valid\" or \"full\".");
                    return new Value.Error();
                }
                oh = h;
                ow = w;
            }
            case FULL -> {
                oh = h + kh - 1;
                ow = w + kw - 1;
            }
            default -> {
                oh = h - kh + 1;
                ow = w - kw + 1;
            }
        }
        if (oh < 1 || ow < 1) {
            args.error(Diagnostic.error(Code.E0108, args.span("kernel"), "a " + kh + "×" + kw + " kernel does not fit in the "
                    + h + "×" + w + " image without padding.", "Use padding = \"same\" or \"full\", or a smaller kernel."));
            return new Value.Error();
        }
        List<Integer> dims = new ArrayList<>(in.dims());
        dims.set(r - 2, oh);
        dims.set(r - 1, ow);
        Shape out = new Shape(dims);
        return new Value.Tensor(out, new TensorExpr.Apply(new Primitive.Conv2d(padding.get()), List.of(x.get().expr(), k.get().expr()), out),
                x.get().dependsOnLatent());
    }

    private static Value absFft2(Expr.Call call, Args args) {
        Optional<Value.Tensor> x = shaped(args, "abs_fft2", "x", 2, "an image tensor with at least 2 dimensions");
        if (x.isEmpty()) return new Value.Error();
        Shape s = x.get().shape();
        return new Value.Tensor(s, new TensorExpr.Apply(new Primitive.FourierMagnitude(), List.of(x.get().expr()), s), x.get().dependsOnLatent());
    }
}
