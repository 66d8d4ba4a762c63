package dfl.compiler.check;

import dfl.compiler.builtin.Args;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.List;

/**
 * Whether {@code tds(variant = "replacement")} fits the program. The replacement variant (SMCDiff) fixes latent
 * coordinates to a forward-noised copy of the data, so it needs every observation to be {@code Normal(M * x, σ)} with a
 * 0/1 mask M of the latent's shape (a {@code mask(...)} value, an explicit 0/1 tensor, or data checked when the run
 * reads it) and no other factor: a classifier or power term has no coordinates to replace. Anything else is an invalid
 * value of the {@code variant} argument (E0113), with the reason.
 */
final class ReplacementCheck {

    private ReplacementCheck() {}

    static void check(Args args, Density prior, List<SamplerPlan.Likelihood> likelihoods, Shape latent) {
        String fix = "Use tds(...) without variant: twisted SMC conditions on any observation and factor.";
        int factors = Composition.factors(prior);
        if (factors > 0) {
            args.invalid("variant", "the replacement variant conditions only on masked observations, but the target also has "
                    + factors + " factor" + (factors == 1 ? "" : "s") + " (such as classifier^γ), which it cannot replace.", fix);
            return;
        }
        if (likelihoods.isEmpty()) {
            args.invalid("variant", "the replacement variant replaces observed coordinates, but the program observes nothing.",
                    "Add observe y ~ Normal(M * x, σ); with a 0/1 mask M, or sample the prior with reverse(...).");
            return;
        }
        for (SamplerPlan.Likelihood l : likelihoods) {
            String why = problem(l, latent);
            if (why != null) {
                args.invalid("variant", "the replacement variant needs every observation to be Normal(M * x, σ) with a 0/1 mask "
                        + "M, but the observation at line " + l.span().startLine() + " " + why + ".", fix);
                return;
            }
        }
        for (String ignored : List.of("twist_var", "tau2")) {
            if (args.has(ignored)) {
                args.error(Diagnostic.warning(Code.W0004, args.span(ignored), "the replacement variant has no twist, so '"
                        + ignored + "' is ignored.", "Drop it, or use tds(...) without variant to twist."));
            }
        }
    }

    /** Why {@code l} is not a mask times the latent, or null when it is (as far as the compiler can tell). */
    private static String problem(SamplerPlan.Likelihood l, Shape latent) {
        if (!(l.family() instanceof LikelihoodFamily.Normal)) return "is " + l.family().name() + ", not Normal";
        TensorExpr mean = l.mean();
        if (!(mean instanceof TensorExpr.Binary b) || b.op() != TensorExpr.Op.MUL) return "has a mean that is not M * x";
        TensorExpr mask = b.left() instanceof TensorExpr.Latent ? b.right() : b.right() instanceof TensorExpr.Latent ? b.left() : null;
        if (mask == null || mask.usesLatent()) return "has a mean that is not M * x (the mask times the latent itself)";
        if (mean.shape().size() != latent.size() || l.data().shape().size() != latent.size()) {
            return "does not cover the latent element by element (shape " + mean.shape() + ", the latent is " + latent + ")";
        }
        if (mask instanceof TensorExpr.Builtin call && !call.name().equals("mask")) {
            return "multiplies x by " + call.name() + "(...), which is not a 0/1 mask";
        }
        if (mask instanceof TensorExpr.Const c && c.values().stream().anyMatch(v -> v != 0.0 && v != 1.0)) {
            return "multiplies x by a tensor whose entries are not all 0 or 1";
        }
        if (mask instanceof TensorExpr.Binary || mask instanceof TensorExpr.Neg) {
            return "multiplies x by a computed tensor; the replacement variant needs a mask(...) value or a 0/1 tensor";
        }
        return null;
    }
}
