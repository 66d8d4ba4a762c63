package dfl.stdlib.builtins;

import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.plan.LikelihoodFamily;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The observation models of {@code observe y ~ ...}: Normal, Laplace, StudentT, Poisson and Bernoulli. */
final class LikelihoodBuiltins {

    private LikelihoodBuiltins() {}

    static List<Builtin> all() {
        return List.of(
                new Fn("Normal", Signature.of(Param.required("mean", "a tensor or number, usually G(x)"), Param.required("sigma", "a positive number")),
                        "The Gaussian observation model y ~ Normal(mean, σ) with per-element std σ; used after observe ... ~.",
                        (call, args) -> dist(args, "mean", () -> new LikelihoodFamily.Normal(args.positive("sigma", 1.0)))),
                new Fn("Laplace", Signature.of(Param.required("mean", "a tensor or number, usually G(x)"), Param.required("b", "a positive scale")),
                        "The Laplace observation model: density exp(−|y − mean|/b)/(2b) per element (robust to outliers).",
                        (call, args) -> dist(args, "mean", () -> new LikelihoodFamily.Laplace(args.positive("b", 1.0)))),
                new Fn("StudentT", Signature.of(Param.required("mean", "a tensor or number, usually G(x)"), Param.required("sigma", "a positive scale"),
                        Param.required("nu", "positive degrees of freedom")),
                        "Student's t observation model with location mean, scale σ and ν degrees of freedom (heavy tails).",
                        (call, args) -> dist(args, "mean", () -> new LikelihoodFamily.StudentT(args.positive("sigma", 1.0), args.positive("nu", 1.0)))),
                new Fn("Poisson", Signature.of(Param.required("rate", "a positive tensor or number, e.g. exp(G(x))")),
                        "Counts y ~ Poisson(rate) per element (photon-limited imaging); the data must be whole numbers ≥ 0.",
                        (call, args) -> dist(args, "rate", LikelihoodFamily.Poisson::new)),
                new Fn("Bernoulli", Signature.of(Param.required("logits", "a tensor or number, e.g. G(x)")),
                        "Binary y ∈ {0, 1} per element with P(y = 1) = sigmoid(logits).",
                        (call, args) -> dist(args, "logits", LikelihoodFamily.Bernoulli::new)));
    }

    /**
     * The distribution with tensor parameter {@code param} (a number is a scalar tensor) and the family's constants,
     * checked after the parameter (so diagnostics come in argument order).
     */
    private static Value dist(Args args, String param, Supplier<LikelihoodFamily> constants) {
        Optional<Value> v = args.value(param);
        LikelihoodFamily family = constants.get();
        if (v.isEmpty() || v.get() instanceof Value.Error || args.failed()) return new Value.Error();
        if (v.get() instanceof Value.Tensor t) return new Value.Dist(t, family);
        if (v.get() instanceof Value.Num n) return new Value.Dist(new Value.Tensor(Shape.SCALAR, TensorExpr.Const.scalar(n.value()), false), family);
        args.kindError(param, "a tensor or a number (usually G(x))", v.get());
        return new Value.Error();
    }
}
