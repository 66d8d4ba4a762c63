package dfl.compiler.value;

import dfl.ast.Stmt;
import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.ModelRef;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;

/**
 * The compile-time meaning of an expression: its kind (and for tensors its shape) and, where it is
 * known at compile time, its value. Evaluation never touches files or runs user code.
 */
public sealed interface Value {

    /** The kind as users read it in messages: "a number", "a tensor [28, 28]", "a density". */
    String describe();

    /** A compile-time number. */
    record Num(double value) implements Value {
        public String describe() { return "a number"; }
    }

    /** A string. */
    record Str(String value) implements Value {
        public String describe() { return "a string"; }
    }

    /**
     * A tensor: its per-particle shape ({@code null} while unknown, e.g. a file not yet read), its
     * expression, and whether it depends on the latent variable.
     */
    record Tensor(Shape shape, TensorExpr expr, boolean dependsOnLatent) implements Value {
        public String describe() { return shape == null ? "a tensor" : "a tensor " + shape; }

        /** Whether the values are known now (a literal or a constant expression). */
        public boolean isConstant() {
            return expr instanceof TensorExpr.Const;
        }
    }

    /** A density over the latent (diffusion prior, factor, or a composition of them). */
    record Dens(Density density, Shape shape) implements Value {
        public String describe() { return "a density over " + shape; }
    }

    /** A model description such as {@code gmm(...)}, not yet a diffusion prior. */
    record Model(ModelRef model, Shape shape) implements Value {
        public String describe() { return "a model (wrap it in diffusion(...) to use it as a prior)"; }
    }

    /**
     * A user TorchScript network, {@code torchscript(path, ...)}: the network of a prior ({@code diffusion(...)}), a
     * factor, a classifier, or an operator when called ({@code op(x)}). {@code shape} is the per-sample input shape and
     * {@code outShape} an operator's output shape (null where not given); {@code classes} the number of class labels of a
     * conditional network or classifier (0 where not given). The file is read when the model runs, never here.
     */
    record Network(String path, Shape shape, Shape outShape, int classes) implements Value {
        public String describe() { return "a TorchScript network"; }
    }

    /** An observation distribution such as {@code Normal(G(x), σ)}: its tensor parameter and its family's constants. */
    record Dist(Tensor mean, LikelihoodFamily family) implements Value {
        public String describe() { return "a distribution"; }
    }

    /** A user function. */
    record Func(Stmt.FunctionDef def) implements Value {
        public String describe() { return "a function of " + def.params().size() + " argument" + (def.params().size() == 1 ? "" : "s"); }
    }

    /** A sampler with its settings. */
    record Sampler(SamplerSpec spec) implements Value {
        public String describe() { return "a sampler"; }
    }

    /**
     * A sampler option: a symbol such as {@code systematic}, or a kernel / MH rule; also the words {@code true},
     * {@code false} and {@code null} (the null condition of a conditional network) anywhere in a program.
     */
    record Option(Object option) implements Value {
        public String describe() {
            if (option.equals("null")) return "null";
            return option.equals("true") || option.equals("false") ? "a boolean" : "a sampler option";
        }
    }

    /** The result of an expression that already produced an error: absorbs further checks silently. */
    record Error() implements Value {
        public String describe() { return "an invalid value"; }
    }
}
