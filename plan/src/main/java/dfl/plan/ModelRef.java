package dfl.plan;

import java.util.List;

/** Which network or closed form stands behind a diffusion prior. */
public sealed interface ModelRef {

    /** Whether the model gives log-densities (energies), not only scores. */
    boolean hasEnergy();

    /**
     * An exact Gaussian-mixture prior in d dimensions: weights (normalised), means [k][d], and full
     * covariances [k][d][d] (an isotropic {@code std} is lowered to std² I). Exact score and energy at
     * every noise level.
     */
    record Gmm(List<Double> weights, List<List<Double>> means, List<List<List<Double>>> covariances) implements ModelRef {
        public Gmm {
            weights = List.copyOf(weights);
            means = means.stream().map(List::copyOf).toList();
            covariances = covariances.stream().map(c -> c.stream().map(List::copyOf).toList()).toList();
        }

        public int dimension() {
            return means.get(0).size();
        }

        public int components() {
            return weights.size();
        }

        @Override
        public boolean hasEnergy() {
            return true;
        }
    }

    /** A model shipped in stdlib, e.g. {@code "mnist"}. */
    record Builtin(String name, Shape shape) implements ModelRef {
        @Override
        public boolean hasEnergy() {
            return false;
        }
    }

    /**
     * A conditional network given one condition: the prior p(x | c). {@code network} is the network as an unconditional
     * reference would name it ({@link TorchScript}, or {@link Builtin} for a shipped conditional model); {@code classes}
     * is its number of class labels (labels 0 to classes − 1; 0 for a vector-conditioned network).
     */
    record Conditional(ModelRef network, Condition condition, int classes) implements ModelRef {
        @Override
        public boolean hasEnergy() {
            return network.hasEnergy();
        }
    }

    /** A user TorchScript network; parameterization is {@code eps}, {@code score} or {@code energy}. */
    record TorchScript(String path, String parameterization, Shape shape) implements ModelRef {
        @Override
        public boolean hasEnergy() {
            return parameterization.equals("energy");
        }
    }
}
