package dfl.stdlib.builtins;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.stdlib.ops.OperatorOptions;
import dfl.stdlib.runtime.DataFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Tensor built-ins: data loading, masks, blur and downsampling. */
final class TensorBuiltins {

    static final List<String> MASKS = List.of("top-half", "bottom-half", "left-half", "right-half", "center", "random");

    private TensorBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                new Fn("load", Signature.of(Param.required("path", "a .png, .npy or .csv file"), Param.optional("shape", "the data's shape if it cannot be inferred")),
                        "Data from a file, read when the model runs (never at compile time), scaled to the model's range.",
                        TensorBuiltins::load),
                new Fn("mask", Signature.of(Param.required("kind", "\"top-half\", \"left-half\", \"center\", \"random\" or a .png file"),
                        Param.required("height", "rows"), Param.required("width", "columns"),
                        Param.optional("fraction", "kept fraction for \"random\""), Param.optional("seed", "seed for \"random\"")),
                        "A [height, width] 0/1 mask of the observed pixels: M * x keeps what is observed.",
                        TensorBuiltins::mask),
                new Fn("blur", Signature.of(Param.required("x", "an image tensor [..., h, w]"), Param.required("sigma", "the Gaussian blur's std in pixels")),
                        "A Gaussian blur of an image (differentiable).",
                        TensorBuiltins::blur),
                new Fn("downsample", Signature.of(Param.required("x", "an image tensor [..., h, w]"), Param.required("factor", "a whole number dividing h and w")),
                        "Average-pools an image by a factor (differentiable).",
                        TensorBuiltins::downsample));
    }

    private static Value load(Expr.Call call, Args args) {
        Optional<String> path = args.string("path");
        if (path.isEmpty()) return new Value.Error();
        if (path.get().indexOf('\0') >= 0) {
            args.invalid("path", "a file name cannot contain a NUL character (\\0).");
            return new Value.Error();
        }
        String p = path.get().toLowerCase(Locale.ROOT);
        if (!(p.endsWith(".png") || p.endsWith(".npy") || p.endsWith(".csv"))) {
            args.invalid("path", "load(...) reads .png, .npy or .csv files; \"" + path.get() + "\" is none of them.");
            return new Value.Error();
        }
        Shape shape = null;
        if (args.has("shape")) {
            Optional<Value.Tensor> s = args.tensor("shape");
            if (s.isEmpty() || !(s.get().expr() instanceof TensorExpr.Const c) || s.get().shape().rank() != 1) {
                args.invalid("shape", "'shape' must be a vector of whole numbers, e.g. [1, 28, 28].");
                return new Value.Error();
            }
            List<Integer> dims = new ArrayList<>();
            double size = 1;
            for (double d : c.values()) {
                if (!(d >= 1 && d == Math.rint(d) && d <= Integer.MAX_VALUE)) {
                    args.invalid("shape", "'shape' must hold whole numbers of at least 1, got " + Args.fmt(d) + ".");
                    return new Value.Error();
                }
                dims.add((int) d);
                size *= d;
            }
            if (size > DataFiles.MAX_VALUES) {
                args.invalid("shape", "a data file holds at most " + DataFiles.MAX_VALUES + " values; this shape has "
                        + String.format(Locale.ROOT, "%.3g", size) + ".");
                return new Value.Error();
            }
            shape = new Shape(dims);
        }
        return new Value.Tensor(shape, new TensorExpr.Load(path.get(), shape, call.span()), false);
    }

    private static Value mask(Expr.Call call, Args args) {
        Optional<String> kind = args.string("kind");
        int h = args.integer("height", 1, 1);
        int w = args.integer("width", 1, 1);
        if (kind.isEmpty() || args.failed()) return new Value.Error();
        if ((long) h * w > DataFiles.MAX_VALUES) {
            args.invalid("height", "a mask holds at most " + DataFiles.MAX_VALUES + " values (4096×4096); " + h + "×" + w
                    + " has " + (long) h * w + ".");
            return new Value.Error();
        }
        if (kind.get().indexOf('\0') >= 0) {
            args.invalid("kind", "a file name cannot contain a NUL character (\\0).");
            return new Value.Error();
        }
        boolean file = kind.get().toLowerCase(Locale.ROOT).endsWith(".png");
        if (!file && !MASKS.contains(kind.get())) {
            args.invalid("kind", "'" + kind.get() + "' is not a mask.",
                    dfl.diag.Suggest.closest(kind.get(), MASKS).map(s -> "Did you mean \"" + s + "\"?")
                            .orElse("Masks: " + String.join(", ", MASKS) + ", or a .png file."));
            return new Value.Error();
        }
        OperatorOptions.Mask options = new OperatorOptions.Mask(kind.get(), h, w);
        if (kind.get().equals("random")) {
            double f = args.number("fraction", 0.5);
            if (!(f > 0 && f < 1)) args.invalid("fraction", "'fraction' must lie in (0, 1), got " + Args.fmt(f) + ".");
            options = new OperatorOptions.Mask(kind.get(), h, w, f, args.integer("seed", 0, 0));
        } else if (args.has("fraction") || args.has("seed")) {
            args.error(Diagnostic.warning(Code.W0004, args.span(args.has("fraction") ? "fraction" : "seed"),
                    "'fraction' and 'seed' apply to random masks only; ignored here."));
        }
        if (args.failed()) return new Value.Error();
        Shape s = Shape.of(h, w);
        return new Value.Tensor(s, new TensorExpr.Builtin("mask", List.of(), options, s), false);
    }

    private static Optional<Value.Tensor> image(Args args) {
        Optional<Value> v = args.value("x");
        if (v.isEmpty() || v.get() instanceof Value.Error) return Optional.empty();
        if (!(v.get() instanceof Value.Tensor t) || (t.shape() != null && t.shape().rank() < 2)) {
            args.invalid("x", "'x' must be an image tensor with at least 2 dimensions, but this is " + v.get().describe() + ".");
            return Optional.empty();
        }
        return Optional.of(t);
    }

    private static Value blur(Expr.Call call, Args args) {
        Optional<Value.Tensor> x = image(args);
        double sigma = args.positive("sigma", 1.0);
        if (x.isPresent() && x.get().shape() != null && !args.failed()) {
            // the kernel has radius 3σ: beyond the image's larger side it only costs time (and overflows for huge σ)
            int rank = x.get().shape().rank();
            int side = Math.max(x.get().shape().dim(rank - 2), x.get().shape().dim(rank - 1));
            if (3 * sigma > side) {
                args.invalid("sigma", "a blur of σ = " + Args.fmt(sigma) + " pixels has a kernel of radius 3σ = "
                        + Args.fmt(3 * sigma) + ", larger than the image's " + side + " pixels.",
                        "Use σ ≤ " + Args.fmt(Math.floor(side / 3.0 * 100) / 100) + " for this image.");
            }
        }
        if (x.isEmpty() || args.failed()) return new Value.Error();
        return new Value.Tensor(x.get().shape(), new TensorExpr.Builtin("blur", List.of(x.get().expr()), new OperatorOptions.Blur(sigma), x.get().shape()),
                x.get().dependsOnLatent());
    }

    private static Value downsample(Expr.Call call, Args args) {
        Optional<Value.Tensor> x = image(args);
        int f = args.integer("factor", 2, 1);
        if (x.isEmpty() || args.failed()) return new Value.Error();
        Shape in = x.get().shape();
        Shape out = null;
        if (in != null) {
            int h = in.dim(in.rank() - 2);
            int w = in.dim(in.rank() - 1);
            if (h % f != 0 || w % f != 0) {
                args.invalid("factor", "factor " + f + " does not divide the image size " + h + "×" + w + ".");
                return new Value.Error();
            }
            List<Integer> dims = new ArrayList<>(in.dims());
            dims.set(in.rank() - 2, h / f);
            dims.set(in.rank() - 1, w / f);
            out = new Shape(dims);
        }
        return new Value.Tensor(out, new TensorExpr.Builtin("downsample", List.of(x.get().expr()), new OperatorOptions.Downsample(f), out),
                x.get().dependsOnLatent());
    }
}
