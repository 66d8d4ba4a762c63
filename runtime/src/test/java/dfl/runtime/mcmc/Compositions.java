package dfl.runtime.mcmc;

import dfl.plan.Density;
import dfl.plan.SamplerSpec;
import dfl.plan.Schedule;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.source.Span;
import java.util.List;
import java.util.SplittableRandom;

/** The composition trees of the tests and the benchmark, built as the compiler lowers them. */
public final class Compositions {

    private Compositions() {}

    /** A diffusion prior node over a gmm. */
    public static Density.Diffusion diffusion(String name, GaussianMixture g) {
        return new Density.Diffusion(name, TestPlans.gmm(g), Schedule.DEFAULT, Span.NONE);
    }

    public static Density product(Density... terms) {
        return new Density.Product(List.of(terms), Span.NONE);
    }

    public static Density power(Density base, double exponent) {
        return new Density.Power(base, exponent, Span.NONE);
    }

    public static Density mix(List<Density> components, List<Double> weights) {
        return new Density.Mixture(components, weights, Span.NONE);
    }

    static double[][] iso(int d, double var) {
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) c[i][i] = var;
        return c;
    }

    /** n equal components on a circle of this radius, isotropic std. */
    public static GaussianMixture ring(int n, double radius, double std) {
        double[] w = new double[n];
        double[][] mu = new double[n][];
        double[][][] cov = new double[n][][];
        for (int i = 0; i < n; i++) {
            w[i] = 1;
            double a = 2 * Math.PI * i / n;
            mu[i] = new double[] {radius * Math.cos(a), radius * Math.sin(a)};
            cov[i] = iso(2, std * std);
        }
        return new GaussianMixture(w, mu, cov);
    }

    /** The bar: N(0, diag(0.01, 1)), mostly in |x₁| &lt; 0.2. */
    public static GaussianMixture bar() {
        return new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{0.01, 0}, {0, 1}}});
    }

    /** ring(8, 0.5, std 0.03) * bar. */
    public static Density ringTimesBar() {
        return product(diffusion("ring", ring(8, 0.5, 0.03)), diffusion("bar", bar()));
    }

    /** An 8-D product: a 6-component mixture (stds 0.15–0.3) times a 2-component wide mixture (std 0.6). */
    public static Density product8d() {
        SplittableRandom r = new SplittableRandom(8);
        int d = 8;
        double[] w1 = new double[6];
        double[][] m1 = new double[6][d];
        double[][][] c1 = new double[6][][];
        for (int c = 0; c < 6; c++) {
            w1[c] = 0.5 + r.nextDouble();
            for (int i = 0; i < d; i++) m1[c][i] = r.nextGaussian();
            c1[c] = new double[d][d];
            for (int i = 0; i < d; i++) c1[c][i][i] = Math.pow(r.nextDouble(0.15, 0.3), 2);
        }
        double[][] m2 = new double[2][d];
        for (int i = 0; i < d; i++) {
            m2[0][i] = 0.5;
            m2[1][i] = -0.5;
        }
        GaussianMixture q = new GaussianMixture(new double[] {0.5, 0.5}, m2, new double[][][] {iso(d, 0.36), iso(d, 0.36)});
        return product(diffusion("p", new GaussianMixture(w1, m1, c1)), diffusion("q", q));
    }

    /** examples/toy/mixture.dfl: mix(left, right, weights = [0.25, 0.75]). */
    public static Density mixtureExample() {
        GaussianMixture left = new GaussianMixture(new double[] {1}, new double[][] {{-2, 0}}, new double[][][] {iso(2, 0.16)});
        GaussianMixture right = new GaussianMixture(new double[] {1, 1}, new double[][] {{2, 0}, {2, 2}},
                new double[][][] {iso(2, 0.09), iso(2, 0.09)});
        return mix(List.of(diffusion("left", left), diffusion("right", right)), List.of(0.25, 0.75));
    }

    /** examples/toy/negation.dfl: ring(8, 1.0, std 0.05)^(1+α) * right^−α with right = N([1, 0], 0.25 I), α = 0.5. */
    public static Density negationExample() {
        GaussianMixture right = new GaussianMixture(new double[] {1}, new double[][] {{1, 0}}, new double[][][] {iso(2, 0.25)});
        return product(power(diffusion("ring", ring(8, 1.0, 0.05)), 1.5), power(diffusion("right", right), -0.5));
    }

    /** An annealed spec. */
    public static SamplerSpec.Annealed annealed(int particles, int levels, SamplerSpec.Kernel kernel, int perLevel,
            SamplerSpec.Mh mh, boolean smc) {
        return new SamplerSpec.Annealed(particles, levels, kernel, perLevel, new SamplerSpec.StepSize(1.0, 1.0, true), mh, smc,
                0.65);
    }
}
