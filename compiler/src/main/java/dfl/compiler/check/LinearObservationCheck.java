package dfl.compiler.check;

import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.Primitive;
import dfl.plan.SamplerPlan;
import dfl.plan.TensorExpr;
import java.util.List;
import java.util.Optional;

/**
 * Whether every observation of a program is linear-Gaussian, {@code observe y ~ Normal(G(x), σ)} with G affine in the
 * latent, and the target has no factor: what {@code mcgdiff} needs, and when the compiler picks it. Affine is decided
 * from the expression: constants and data, the latent, sums and differences of affine terms, products and quotients by
 * terms free of the latent ({@code A @ x}, {@code M * x}, {@code x / 2}), negation, {@code sum}, {@code mean},
 * {@code reshape}, {@code conv2d} with a constant kernel, {@code blur} and {@code downsample}. Anything else (elementwise
 * functions, powers, {@code abs_fft2}, TorchScript operators) is taken as nonlinear.
 */
final class LinearObservationCheck {

    private LinearObservationCheck() {}

    /** Why the program is not linear-Gaussian (a clause to follow "because"), or empty when it is. */
    static Optional<String> problem(Density prior, List<SamplerPlan.Likelihood> likelihoods) {
        int factors = Composition.factors(prior);
        if (factors > 0) return Optional.of("the target has " + factors + " factor" + (factors == 1 ? "" : "s") + " (such as classifier^γ)");
        if (likelihoods.isEmpty()) return Optional.of("the program observes nothing");
        for (SamplerPlan.Likelihood l : likelihoods) {
            if (!(l.family() instanceof LikelihoodFamily.Normal)) {
                return Optional.of("the observation at line " + l.span().startLine() + " is " + l.family().name() + ", not Normal");
            }
            Optional<String> why = nonAffine(l.mean());
            if (why.isPresent()) return Optional.of("the mean of the observation at line " + l.span().startLine() + " " + why.get());
        }
        return Optional.empty();
    }

    /** Why {@code e} is not affine in the latent, or empty when it is. */
    static Optional<String> nonAffine(TensorExpr e) {
        if (!e.usesLatent()) return Optional.empty();
        if (e instanceof TensorExpr.Latent) return Optional.empty();
        if (e instanceof TensorExpr.Neg n) return nonAffine(n.operand());
        if (e instanceof TensorExpr.Binary b) {
            return switch (b.op()) {
                case ADD, SUB -> nonAffine(b.left()).or(() -> nonAffine(b.right()));
                case MUL, MATMUL -> b.left().usesLatent() && b.right().usesLatent()
                        ? Optional.of("multiplies the latent by itself")
                        : nonAffine(b.left().usesLatent() ? b.left() : b.right());
                case DIV -> b.right().usesLatent() ? Optional.of("divides by the latent") : nonAffine(b.left());
                case POW -> Optional.of("raises the latent to a power");
            };
        }
        if (e instanceof TensorExpr.Builtin b) {
            if (!List.of("blur", "downsample").contains(b.name())) return Optional.of("applies the operator " + b.name() + "(...), which is not known to be linear");
            return b.args().stream().map(LinearObservationCheck::nonAffine).flatMap(Optional::stream).findFirst();
        }
        if (e instanceof TensorExpr.Apply a) {
            boolean linear = a.primitive() instanceof Primitive.Reduce || a.primitive() instanceof Primitive.Reshape
                    || (a.primitive() instanceof Primitive.Conv2d && !a.args().get(1).usesLatent());
            if (!linear) return Optional.of("applies " + a.primitive().name() + "(...), which is not linear");
            return nonAffine(a.args().get(0));
        }
        return Optional.of("is not an affine function of the latent");
    }
}
