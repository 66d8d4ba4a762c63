package dfl.runtime.likelihood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dfl.plan.LikelihoodFamily;
import java.util.function.DoubleBinaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Every family's batched log-density against a scalar formula written independently here (closed forms, products
 * instead of log Γ), its normalisation, the moments of the inflated twists, its gradient against finite differences,
 * and finiteness on the support (jqwik).
 */
class ObservationDensityTest {

    /** log p(y | θ) of one element by the density under test: θ as a 1×1 batch. */
    private static double one(ObservationDensity d, double theta, double y) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(new double[] {theta}, new Shape(1, 1));
            NDArray ya = m.create(new double[] {y}, new Shape(1, 1));
            return d.logDensity(t, ya, new double[] {y}).getDouble(0);
        }
    }

    private static void agrees(ObservationDensity d, DoubleBinaryOperator expected, double[] thetas, double[] ys) {
        for (double theta : thetas) {
            for (double y : ys) {
                double want = expected.applyAsDouble(theta, y);
                double got = one(d, theta, y);
                if (want == Double.NEGATIVE_INFINITY) assertEquals(want, got, d + " θ=" + theta + " y=" + y);
                else assertEquals(want, got, 1e-10 * (1 + Math.abs(want)), d + " θ=" + theta + " y=" + y);
            }
        }
    }

    @Test
    void continuousFamiliesMatchTheirClosedForms() {
        double[] thetas = {-1.3, 0, 0.4, 2.5};
        double[] ys = {-2, 0.1, 0.4, 3};
        agrees(new ObservationDensity.Gaussian(0.09), (t, y) -> Math.log(Math.exp(-(y - t) * (y - t) / 0.18) / Math.sqrt(2 * Math.PI * 0.09)),
                thetas, ys);
        agrees(new ObservationDensity.Laplace(0.3), (t, y) -> Math.log(Math.exp(-Math.abs(y - t) / 0.3) / 0.6), thetas, ys);
        double s = 0.7;
        // Student's t with 1 (Cauchy), 2 and 3 degrees of freedom in closed form
        agrees(new ObservationDensity.StudentT(s, 1), (t, y) -> Math.log(1 / (Math.PI * s * (1 + sq((y - t) / s)))), thetas, ys);
        agrees(new ObservationDensity.StudentT(s, 2), (t, y) -> Math.log(1 / (2 * Math.sqrt(2) * s * Math.pow(1 + sq((y - t) / s) / 2, 1.5))),
                thetas, ys);
        agrees(new ObservationDensity.StudentT(s, 3), (t, y) -> Math.log(2 / (Math.PI * Math.sqrt(3) * s * sq(1 + sq((y - t) / s) / 3))),
                thetas, ys);
    }

    @Test
    void discreteFamiliesMatchTheirProbabilities() {
        double[] counts = {0, 1, 2, 7, 30};
        agrees(new ObservationDensity.Poisson(), (t, y) -> t < 0 || (t == 0 && y > 0) ? Double.NEGATIVE_INFINITY
                : Math.log(Math.pow(t, y) * Math.exp(-t) / factorial(y)), new double[] {-0.5, 0, 0.3, 4, 25}, counts);
        // the negative binomial as a product, not through log Γ: Γ(y + r)/(Γ(r) y!) = Π_{j<y} (r + j)/(j + 1)
        for (double r : new double[] {0.5, 3, 250}) {
            agrees(new ObservationDensity.NegativeBinomial(r), (t, y) -> {
                double c = 1;
                for (int j = 0; j < y; j++) c *= (r + j) / (j + 1);
                return Math.log(c * Math.pow(r / (r + t), r) * Math.pow(t / (r + t), y));
            }, new double[] {0.3, 4, 25}, counts);
        }
        for (double kappa : new double[] {1, 0.6}) {
            agrees(new ObservationDensity.Bernoulli(kappa), (t, y) -> Math.log(y == 1 ? 1 / (1 + Math.exp(-kappa * t)) : 1 / (1 + Math.exp(kappa * t))),
                    new double[] {-40, -1.5, 0, 2, 40}, new double[] {0, 1});
        }
    }

    @Test
    void discreteFamiliesAreNormalisedAndTheNegativeBinomialHasTheInflatedVariance() {
        double theta = 6.5;
        for (ObservationDensity d : new ObservationDensity[] {new ObservationDensity.Poisson(), new ObservationDensity.NegativeBinomial(4)}) {
            double mass = 0, mean = 0, second = 0;
            for (int y = 0; y < 400; y++) {
                double p = Math.exp(one(d, theta, y));
                mass += p;
                mean += p * y;
                second += p * y * y;
            }
            double r = d instanceof ObservationDensity.NegativeBinomial nb ? nb.r() : Double.POSITIVE_INFINITY;
            assertEquals(1, mass, 1e-10, d.toString());
            assertEquals(theta, mean, 1e-9, d.toString());
            assertEquals(theta + theta * theta / r, second - mean * mean, 1e-8, "variance of " + d);
        }
        for (double t : new double[] {-3, 0.2, 5}) {
            assertEquals(1, Math.exp(one(new ObservationDensity.Bernoulli(0.7), t, 0)) + Math.exp(one(new ObservationDensity.Bernoulli(0.7), t, 1)), 1e-12);
        }
    }

    @Test
    void laplaceIntegratesToOneAndItsTwistAddsTheInflationToItsVariance() {
        double extra = 0.05, b = 0.3;
        ObservationDensity.Laplace twisted = (ObservationDensity.Laplace) ObservationDensity.twist(new LikelihoodFamily.Laplace(b), extra);
        assertEquals(2 * b * b + extra, 2 * twisted.b() * twisted.b(), 1e-12);
        // the density depends on y − θ only: a grid of θ against y = 0 in one batched call
        double h = 1e-3, mass = 0, var = 0;
        int n = (int) (24 / h);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = -12 + (i + 0.5) * h;
        double[] lp;
        try (NDManager m = NDManager.newBaseManager()) {
            lp = twisted.logDensity(m.create(r, new Shape(n, 1)), m.create(new double[] {0}, new Shape(1, 1)), new double[] {0}).toDoubleArray();
        }
        for (int i = 0; i < n; i++) {
            mass += Math.exp(lp[i]) * h;
            var += Math.exp(lp[i]) * h * r[i] * r[i];
        }
        assertEquals(1, mass, 1e-6);
        assertEquals(2 * b * b + extra, var, 1e-5);
    }

    @Test
    void twistsOfEachFamily() {
        assertEquals(new ObservationDensity.Gaussian(0.09 + 0.2), ObservationDensity.twist(new LikelihoodFamily.Normal(0.3), 0.2));
        assertEquals(new ObservationDensity.StudentT(Math.sqrt(0.09 + 0.2), 3), ObservationDensity.twist(new LikelihoodFamily.StudentT(0.3, 3), 0.2));
        assertEquals(new ObservationDensity.Poisson(), ObservationDensity.twist(new LikelihoodFamily.Poisson(), 0));
        assertEquals(new ObservationDensity.NegativeBinomial(5), ObservationDensity.twist(new LikelihoodFamily.Poisson(), 0.2));
        assertEquals(new ObservationDensity.Bernoulli(1), ObservationDensity.twist(new LikelihoodFamily.Bernoulli(), 0));
    }

    /** The shrunk logit is MacKay's approximation of E sigmoid(θ + √extra·z): within 0.02 over the range that matters. */
    @Test
    void bernoulliTwistIsCloseToTheExpectedProbability() {
        for (double extra : new double[] {0.1, 1, 5}) {
            ObservationDensity d = ObservationDensity.twist(new LikelihoodFamily.Bernoulli(), extra);
            for (double theta : new double[] {-4, -1, 0.5, 3}) {
                double expected = 0, h = 1e-3;
                for (double z = -9; z < 9; z += h) {
                    double zz = z + h / 2;
                    expected += h * Math.exp(-zz * zz / 2) / Math.sqrt(2 * Math.PI) / (1 + Math.exp(-(theta + Math.sqrt(extra) * zz)));
                }
                assertEquals(expected, Math.exp(one(d, theta, 1)), 0.02, "extra " + extra + " θ " + theta);
            }
        }
    }

    @Test
    void gradientsAndDpsNormsMatchFiniteDifferences() {
        double[] theta = {0.3, 1.7, 2.2, 0.9};
        double[] y = {0, 2, 1, 3};
        for (ObservationDensity d : new ObservationDensity[] {new ObservationDensity.Gaussian(0.2), new ObservationDensity.Laplace(0.4),
                new ObservationDensity.StudentT(0.5, 3), new ObservationDensity.Poisson(), new ObservationDensity.NegativeBinomial(2.5),
                new ObservationDensity.Bernoulli(0.8)}) {
            double[] yv = d instanceof ObservationDensity.Bernoulli ? new double[] {0, 1, 1, 0} : y;
            for (boolean dps : new boolean[] {false, true}) {
                if (dps && d instanceof ObservationDensity.NegativeBinomial) continue; // a twist only: DPS uses the family itself
                double[] grad = new double[theta.length];
                double base;
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray t = m.create(theta, new Shape(2, 2));
                    t.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray out = value(d, dps, t, m.create(yv, new Shape(1, 2)), yv);
                        base = out.sum().getDouble();
                        gc.backward(out.sum());
                    }
                    grad = t.getGradient().toDoubleArray();
                }
                for (int j = 0; j < theta.length; j++) {
                    double h = 1e-6;
                    double[] tp = theta.clone(), tm = theta.clone();
                    tp[j] += h;
                    tm[j] -= h;
                    double fd = (sum(d, dps, tp, yv) - sum(d, dps, tm, yv)) / (2 * h);
                    assertEquals(fd, grad[j], 1e-6 * (1 + Math.abs(fd)), d + (dps ? " DPS" : "") + " coordinate " + j + " at " + base);
                }
            }
        }
    }

    private static NDArray value(ObservationDensity d, boolean dps, NDArray theta, NDArray y, double[] yv) {
        return dps ? d.dpsNorm(theta, y, yv) : d.logDensity(theta, y, yv);
    }

    private static double sum(ObservationDensity d, boolean dps, double[] theta, double[] yv) {
        try (NDManager m = NDManager.newBaseManager()) {
            return value(d, dps, m.create(theta, new Shape(2, 2)), m.create(yv, new Shape(1, 2)), yv).sum().getDouble();
        }
    }

    /** The DPS distance of a Normal is DPS's ‖y − θ‖; of the others the deviance's root, 0 at the saturated fit. */
    @Test
    void dpsDistanceIsTheRootOfTheDeviance() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] y = {3, 0};
            NDArray fit = m.create(new double[] {3, 1e-300}, new Shape(1, 2));
            NDArray yv = m.create(y, new Shape(1, 2));
            assertEquals(0, new ObservationDensity.Poisson().dpsNorm(fit, yv, y).getDouble(0), 1e-7);
            NDArray off = m.create(new double[] {5, 1}, new Shape(1, 2));
            double deviance = 2 * (3 * Math.log(3.0 / 5) - (3 - 5)) + 2 * (0 - (0 - 1));
            assertEquals(Math.sqrt(deviance), new ObservationDensity.Poisson().dpsNorm(off, yv, y).getDouble(0), 1e-12);
            assertEquals(Math.sqrt(4 + 1), new ObservationDensity.Gaussian(0.09).dpsNorm(off, m.create(new double[] {3, 0}, new Shape(1, 2)), y)
                    .getDouble(0), 1e-12);
            assertEquals(Math.sqrt(2 * (2 + 1) / 0.5), new ObservationDensity.Laplace(0.5).dpsNorm(off, yv, y).getDouble(0), 1e-12);
        }
    }

    @Test
    void logGammaMatchesFactorialsAndHalfIntegers() {
        for (int n = 1; n < 30; n++) assertEquals(Math.log(factorial(n - 1)), LogGamma.of(n), 1e-12 * (1 + Math.log(factorial(n - 1))));
        assertEquals(0.5 * Math.log(Math.PI), LogGamma.of(0.5), 1e-14);
        assertEquals(Math.log(0.75 * Math.sqrt(Math.PI)), LogGamma.of(2.5), 1e-14);
        assertEquals(Math.log(Math.PI / Math.sin(Math.PI * 0.1)) - LogGamma.of(0.9), LogGamma.of(0.1), 1e-13);
    }

    /** On its support and for any inflation, every family's log-density is finite (and at most 0 for counts and 0/1). */
    @Property(tries = 300)
    void logDensityIsFiniteOnTheSupport(@ForAll @IntRange(min = 0, max = 4) int family, @ForAll @DoubleRange(min = -30, max = 30) double theta,
            @ForAll @IntRange(min = 0, max = 500) int count, @ForAll @DoubleRange(min = 0, max = 50) double extra,
            @ForAll @DoubleRange(min = 0.01, max = 10) double scale) {
        LikelihoodFamily f = switch (family) {
            case 0 -> new LikelihoodFamily.Normal(scale);
            case 1 -> new LikelihoodFamily.Laplace(scale);
            case 2 -> new LikelihoodFamily.StudentT(scale, 1 + scale);
            case 3 -> new LikelihoodFamily.Poisson();
            default -> new LikelihoodFamily.Bernoulli();
        };
        double y = family == 4 ? count % 2 : family == 3 ? count : theta / 2 + count / 10.0;
        assertTrue(f.outsideSupport(y).isEmpty());
        double param = family == 3 ? Math.exp(theta / 3) : theta;
        double lp = one(ObservationDensity.twist(f, extra), param, y);
        assertTrue(Double.isFinite(lp), f + " at θ=" + param + ", y=" + y + ", extra " + extra + ": " + lp);
        if (family >= 3) assertTrue(lp <= 1e-12, "a probability above 1: " + lp);
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double factorial(double n) {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }
}
