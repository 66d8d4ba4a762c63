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
