package dfl.plan;

import java.util.Optional;

/**
 * The distribution of an observation {@code observe y ~ Family(θ(x), ...)}: one tensor parameter θ that depends on the
 * latent (the mean, the rate or the logits; {@link SamplerPlan.Likelihood#mean()}) and constant numbers. Elements of
 * y are independent given θ. Each family says which data it can have ({@link #outsideSupport}): the compiler checks
 * literal data with it, the runtime checks data it reads.
 */
public sealed interface LikelihoodFamily {

    /** The family's name as written in programs: {@code Normal}, {@code Poisson}, ... */
    String name();

    /** What the tensor parameter is called: {@code mean}, {@code rate} or {@code logits}. */
    default String parameter() {
        return "mean";
    }

    /** The family with its constants as {@code dfl plan} prints them, e.g. {@code StudentT(mean, σ = 0.2, ν = 3)}. */
    default String describe() {
        return describe(parameter());
    }

    /** The family applied to {@code parameter} (the tensor parameter as text), e.g. {@code Poisson(exp(x))}. */
    String describe(String parameter);

    /** Why {@code y} cannot be an observation of this family (for messages: "is negative"), or empty when it can. */
    default Optional<String> outsideSupport(double y) {
        return Double.isFinite(y) ? Optional.empty() : Optional.of("is not a finite number");
    }

    /** What the data of this family must be, for messages: "finite numbers", "counts 0, 1, 2, ...". */
    default String support() {
        return "finite numbers";
    }

    /** y ~ N(mean, σ²), per element. */
    record Normal(double sigma) implements LikelihoodFamily {
        public String name() { return "Normal"; }

        public String describe(String p) { return "Normal(" + p + ", σ = " + PlanPrinter.num(sigma) + ")"; }
    }

    /** y ~ Laplace(mean, b): density exp(−|y − mean|/b)/(2b), variance 2b². */
    record Laplace(double scale) implements LikelihoodFamily {
        public String name() { return "Laplace"; }

        public String describe(String p) { return "Laplace(" + p + ", b = " + PlanPrinter.num(scale) + ")"; }
    }

    /** y ~ Student's t with location mean, scale σ and ν degrees of freedom. */
    record StudentT(double scale, double dof) implements LikelihoodFamily {
        public String name() { return "StudentT"; }

        public String describe(String p) { return "StudentT(" + p + ", σ = " + PlanPrinter.num(scale) + ", ν = " + PlanPrinter.num(dof) + ")"; }
    }

    /** y ~ Poisson(rate): counts; the rate must be positive where the count is (photon-limited imaging). */
    record Poisson() implements LikelihoodFamily {
        public String name() { return "Poisson"; }

        public String parameter() { return "rate"; }

        public String describe(String p) { return "Poisson(" + p + ")"; }

        public String support() { return "counts (whole numbers ≥ 0)"; }

        public Optional<String> outsideSupport(double y) {
            if (!Double.isFinite(y)) return Optional.of("is not a finite number");
            if (y < 0) return Optional.of("is negative");
            if (y != Math.rint(y)) return Optional.of("is not a whole number");
            return Optional.empty();
        }
    }

    /** y ∈ {0, 1} with P(y = 1) = sigmoid(logits). */
    record Bernoulli() implements LikelihoodFamily {
        public String name() { return "Bernoulli"; }

        public String parameter() { return "logits"; }

        public String describe(String p) { return "Bernoulli(" + p + ")"; }

        public String support() { return "0 or 1"; }

        public Optional<String> outsideSupport(double y) {
            return y == 0 || y == 1 ? Optional.empty() : Optional.of("is neither 0 nor 1");
        }
    }
}
