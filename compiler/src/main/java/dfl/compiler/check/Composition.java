package dfl.compiler.check;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.PlanPrinter;
import dfl.plan.TargetSpec;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Facts about a composed target that decide which samplers are correct for it. */
final class Composition {

    private Composition() {}

    /** Every diffusion prior in the tree, in order. */
    static List<Density.Diffusion> diffusions(Density d) {
        List<Density.Diffusion> out = new ArrayList<>();
        collect(d, out);
        return out;
    }

    private static void collect(Density d, List<Density.Diffusion> out) {
        if (d instanceof Density.Diffusion p) out.add(p);
        else if (d instanceof Density.Product p) p.terms().forEach(t -> collect(t, out));
        else if (d instanceof Density.Power p) collect(p.base(), out);
        else if (d instanceof Density.Mixture m) m.components().forEach(c -> collect(c, out));
    }

    /** Number of factor terms (classifiers) in the tree. */
    static int factors(Density d) {
        if (d instanceof Density.Factor) return 1;
        if (d instanceof Density.Product p) return p.terms().stream().mapToInt(Composition::factors).sum();
        if (d instanceof Density.Power p) return factors(p.base());
        if (d instanceof Density.Mixture m) return m.components().stream().mapToInt(Composition::factors).sum();
        return 0;
    }

    /** The first term without a log-density (a score-only diffusion model), if any. */
    static Optional<Density.Diffusion> firstScoreOnly(Density d) {
        return diffusions(d).stream().filter(p -> !p.model().hasEnergy()).findFirst();
    }

    /**
     * The diffusion prior when the target is that prior times factors raised to powers
     * (p * c1^γ1 * ...): the shape TDS, DPS and reverse diffusion can follow ({@link TargetSpec#onePrior}).
     */
    static Optional<Density.Diffusion> singlePriorWithTwists(Density d) {
        return TargetSpec.onePrior(d).map(TargetSpec.OnePrior::prior);
    }

    /**
     * Reports what annealed MCMC cannot build from the tree (so that {@link TargetSpec#of} never fails on a lowered
     * program): no diffusion prior (E0215), a factor inside a mixture (E0209), diffusion priors on different noise
     * schedules (E0211: annealed MCMC composes them level by level).
     */
    static void checkComposable(Density d, Span at, Consumer<Diagnostic> report) {
        List<Density.Diffusion> ds = diffusions(d);
        if (ds.isEmpty()) {
            report.accept(Diagnostic.error(Code.E0215, at, "annealed MCMC needs at least one diffusion prior in the composition.",
                    "Compose a diffusion(...) or gmm(...) prior with the factors."));
            return;
        }
        Density.Diffusion first = ds.get(0);
        for (Density.Diffusion other : ds) {
            if (!other.schedule().equals(first.schedule())) {
                report.accept(Diagnostic.error(Code.E0211, other.span(), "the diffusion priors '" + first.name() + "' and '"
                        + other.name() + "' have different noise schedules (" + PlanPrinter.schedule(first.schedule()) + " against "
                        + PlanPrinter.schedule(other.schedule()) + ").",
                        "Annealed MCMC composes the priors level by level, so they must share one schedule: give each the schedule its network was trained with."));
                break;
            }
        }
        factorInMixture(d, false, report);
        checkNormalisable(d, report);
    }

    /**
     * E0217 when a product of exact Gaussian-mixture priors with diagonal covariances has no normalisable density: along a
     * coordinate axis j, log p_i(x) falls like −½ x_j² / max_k c_ik,jj (its widest component), so the product of powers
     * Π p_i^γ_i falls like −½ x_j² Σ_i γ_i / max_k c_ik,jj, and grows without bound when that sum is not positive
     * (negative powers of narrow densities outweighing positive powers of wide ones: {@code p^1000 * q^-1000} with q
     * narrower than p). Every sampler then drifts to infinity. Other compositions are not judged here; at run time a
     * drift far outside the priors' range is W0006.
     */
    static void checkNormalisable(Density d, Consumer<Diagnostic> report) {
        List<Density> terms = d instanceof Density.Product p ? p.terms() : List.of(d);
        int dim = -1;
        List<double[]> widest = new ArrayList<>();
        List<Double> powers = new ArrayList<>();
        for (Density t : terms) {
            double gamma = t instanceof Density.Power pw ? pw.exponent() : 1;
            Density base = t instanceof Density.Power pw ? pw.base() : t;
            if (!(base instanceof Density.Diffusion diff && diff.model() instanceof dfl.plan.ModelRef.Gmm g)) return;
            int n = g.dimension();
            if (dim >= 0 && n != dim) return;
            dim = n;
            double[] w = new double[n];
            for (List<List<Double>> cov : g.covariances()) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) if (i != j && cov.get(i).get(j) != 0) return; // full covariances: not judged
                    w[i] = Math.max(w[i], cov.get(i).get(i));
                }
            }
            widest.add(w);
            powers.add(gamma);
        }
        if (dim < 0 || powers.stream().allMatch(g -> g >= 0)) return;
        for (int j = 0; j < dim; j++) {
            double coef = 0;
            for (int i = 0; i < powers.size(); i++) coef += powers.get(i) / widest.get(i)[j];
            if (coef <= 0) {
                report.accept(Diagnostic.error(Code.E0217, d.span(), String.format(java.util.Locale.ROOT,
                        "this composition has no normalisable density: along coordinate %d its log-density %s, because the "
                                + "negative powers of narrow densities outweigh the positive powers of wide ones (Σ γ / σ² = %.4g "
                                + "along that axis, where it must be positive); every sampler would drift to infinity.",
                        j + 1, coef == 0 ? "does not decay" : "grows like +½·" + String.format(java.util.Locale.ROOT, "%.4g", -coef)
                                + "·x²", coef),
                        "Use smaller negative powers, or negate a density wider than the ones you keep (p^(1+α) * q^-α needs "
                                + "(1+α)/σ_p² > α/σ_q²)."));
                return;
            }
        }
    }

    private static boolean factorInMixture(Density d, boolean inMixture, Consumer<Diagnostic> report) {
        if (d instanceof Density.Factor f && inMixture) {
            report.accept(Diagnostic.error(Code.E0209, f.span(), "the factor '" + f.name() + "' appears inside a mixture.",
                    "Annealed MCMC supports factors only as terms of the top-level product (a mixture weight would need its normalised density)."));
            return true;
        }
        if (d instanceof Density.Product p) return p.terms().stream().anyMatch(t -> factorInMixture(t, inMixture, report));
        if (d instanceof Density.Power p) return factorInMixture(p.base(), inMixture, report);
        if (d instanceof Density.Mixture m) return m.components().stream().anyMatch(c -> factorInMixture(c, true, report));
        return false;
    }

    /** Reports every mixture with a score-only component: weighting components needs their densities. */
    static void checkMixtures(Density d, Consumer<Diagnostic> report) {
        if (d instanceof Density.Mixture m) {
                for (Density c : m.components()) {
                    Optional<Density.Diffusion> scoreOnly = firstScoreOnly(c);
                    if (scoreOnly.isPresent()) {
                        report.accept(Diagnostic.error(Code.E0209, m.span(),
                                "this mixture needs the log-density (energy) of every component, but '" + scoreOnly.get().name()
                                        + "' is a score-only model.",
                                "A mixture's score weighs each component's score by its density at x_t: without energies the weights are unknown.",
                                "Use models with energies (gmm priors, or a TorchScript model with parameterization = \"energy\"), or a product instead."));
                        return;
                    }
                    checkMixtures(c, report);
                }
        } else if (d instanceof Density.Product p) {
            p.terms().forEach(t -> checkMixtures(t, report));
        } else if (d instanceof Density.Power p) {
            checkMixtures(p.base(), report);
        }
    }
}
