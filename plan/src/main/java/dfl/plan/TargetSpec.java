package dfl.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime must build for a plan's prior, decided once by {@link #of}: {@link OnePrior} (one diffusion prior
 * times factors raised to powers, the target reverse diffusion, DPS and TDS follow) or {@link Composed} (a tree over
 * several priors, mixtures or powers of a prior, which only annealed MCMC samples). Both name the distinct diffusion
 * priors to open, the factor terms of the top-level product with their exponents, and the composition of the priors'
 * densities as a {@link Node} tree over indices into {@link #priors()}. The runtime trusts it; the compiler has
 * reported every tree it cannot build (factors inside a mixture, no diffusion prior) before lowering.
 */
public sealed interface TargetSpec {

    /** The distinct diffusion priors (by name), first occurrence first; the first gives Tweedie's x̂0 to the factors. */
    List<Density.Diffusion> priors();

    /** The factor terms f(x̂0)^γ, in source order, with their accumulated exponents. */
    List<PoweredFactor> factors();

    /** How the priors' densities combine. */
    Node tree();

    /** A factor term and its exponent γ. */
    record PoweredFactor(Density.Factor term, double exponent) {}

    /** The diffusion part of a composition, over indices into {@link #priors()}. */
    sealed interface Node {
        /** The prior {@code priors().get(prior)}. */
        record Leaf(int prior) implements Node {}

        /** The base's log-density (and score) times {@code exponent}. */
        record Pow(Node base, double exponent) implements Node {}

        /** Log-densities and scores add. */
        record Prod(List<Node> terms) implements Node {
            public Prod {
                terms = List.copyOf(terms);
            }
        }

        /** log Σ exp(logWeight_k + log p_k); the weights are normalised. */
        record Mix(List<Node> components, List<Double> logWeights) implements Node {
            public Mix {
                components = List.copyOf(components);
                logWeights = List.copyOf(logWeights);
            }
        }

        /** Whether a mixture (which needs log-densities) occurs in this tree. */
        default boolean hasMixture() {
            if (this instanceof Mix) return true;
            if (this instanceof Pow p) return p.base().hasMixture();
            return this instanceof Prod p && p.terms().stream().anyMatch(Node::hasMixture);
        }
    }

    /** One diffusion prior times factors: {@code prior * f1^γ1 * ...}. */
    record OnePrior(Density.Diffusion prior, List<PoweredFactor> factors) implements TargetSpec {
        public OnePrior {
            factors = List.copyOf(factors);
        }

        @Override
        public List<Density.Diffusion> priors() {
            return List.of(prior);
        }

        @Override
        public Node tree() {
            return new Node.Leaf(0);
        }
    }

    /** Any other composition: only annealed MCMC samples it. */
    record Composed(Node tree, List<Density.Diffusion> priors, List<PoweredFactor> factors) implements TargetSpec {
        public Composed {
            priors = List.copyOf(priors);
            factors = List.copyOf(factors);
        }
    }

    /**
     * The target of {@code prior}; the fold of the compiler's lowering and of plans built by hand.
     *
     * @throws IllegalArgumentException for a tree without a diffusion prior or with a factor inside a mixture (the
     *     compiler reports both as errors, DFL-E0215 and DFL-E0209)
     */
    static TargetSpec of(Density prior) {
        Optional<OnePrior> one = onePrior(prior);
        if (one.isPresent()) return one.get();
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Density.Diffusion> priors = new ArrayList<>();
        List<PoweredFactor> factors = new ArrayList<>();
        Node tree = fold(prior, 1.0, true, index, priors, factors);
        if (tree == null) throw new IllegalArgumentException("the composition has no diffusion prior");
        return new Composed(tree, priors, factors);
    }

    /**
     * The prior and its factors when {@code d} is one diffusion prior, or a product of exactly one diffusion prior (at
     * power 1) and factors or powers of factors: the shape TDS, DPS and reverse diffusion can follow.
     */
    static Optional<OnePrior> onePrior(Density d) {
        if (d instanceof Density.Diffusion p) return Optional.of(new OnePrior(p, List.of()));
        if (!(d instanceof Density.Product prod)) return Optional.empty();
        Density.Diffusion prior = null;
        List<PoweredFactor> factors = new ArrayList<>();
        for (Density t : prod.terms()) {
            Density base = t instanceof Density.Power pw ? pw.base() : t;
            double exponent = t instanceof Density.Power pw ? pw.exponent() : 1.0;
            if (base instanceof Density.Factor f) factors.add(new PoweredFactor(f, exponent));
            else if (base instanceof Density.Diffusion p && exponent == 1.0 && prior == null) prior = p;
            else return Optional.empty();
        }
        return prior == null ? Optional.empty() : Optional.of(new OnePrior(prior, factors));
    }

    /** The diffusion part of {@code d} (null if it has none); factors met through products and powers are collected. */
    private static Node fold(Density d, double power, boolean topLevel, Map<String, Integer> index, List<Density.Diffusion> priors,
            List<PoweredFactor> factors) {
        if (d instanceof Density.Diffusion diff) {
            Integer i = index.get(diff.name());
            if (i == null) {
                i = priors.size();
                index.put(diff.name(), i);
                priors.add(diff);
            }
            return new Node.Leaf(i);
        }
        if (d instanceof Density.Factor f) {
            if (!topLevel) throw new IllegalArgumentException("the factor '" + f.name() + "' appears inside a mixture");
            factors.add(new PoweredFactor(f, power));
            return null;
        }
        if (d instanceof Density.Power p) {
            Node b = fold(p.base(), power * p.exponent(), topLevel, index, priors, factors);
            return b == null ? null : new Node.Pow(b, p.exponent());
        }
        if (d instanceof Density.Product p) {
            List<Node> terms = new ArrayList<>();
            for (Density t : p.terms()) {
                Node n = fold(t, power, topLevel, index, priors, factors);
                if (n != null) terms.add(n);
            }
            return terms.isEmpty() ? null : terms.size() == 1 ? terms.get(0) : new Node.Prod(terms);
        }
        Density.Mixture m = (Density.Mixture) d;
        List<Node> components = new ArrayList<>();
        List<Double> logWeights = new ArrayList<>();
        double sum = m.weights().stream().mapToDouble(Double::doubleValue).sum();
        for (int i = 0; i < m.components().size(); i++) {
            Node c = fold(m.components().get(i), 1.0, false, index, priors, factors);
            if (c == null) throw new IllegalArgumentException("a component of the mixture has no diffusion prior");
            components.add(c);
            logWeights.add(Math.log(m.weights().get(i) / sum));
        }
        return new Node.Mix(components, logWeights);
    }
}
