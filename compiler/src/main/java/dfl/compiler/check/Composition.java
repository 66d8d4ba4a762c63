package dfl.compiler.check;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
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
     * (p * c1^γ1 * ...): the shape TDS, DPS and reverse diffusion can follow.
     */
    static Optional<Density.Diffusion> singlePriorWithTwists(Density d) {
        if (d instanceof Density.Diffusion p) return Optional.of(p);
        if (!(d instanceof Density.Product prod)) return Optional.empty();
        Density.Diffusion prior = null;
        for (Density t : prod.terms()) {
            Density base = t instanceof Density.Power pw ? pw.base() : t;
            if (base instanceof Density.Factor) continue;
            boolean unitPower = !(t instanceof Density.Power pw) || pw.exponent() == 1.0;
            if (base instanceof Density.Diffusion p && unitPower && prior == null) prior = p;
            else return Optional.empty();
        }
        return Optional.ofNullable(prior);
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
