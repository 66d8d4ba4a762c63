package dfl.runtime.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dfl.plan.Density;
import dfl.plan.Shape;
import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The composed target over the exact GMM diffusion models matches the algebra computed independently in Java:
 * log-density differences against {@link GmmAlgebra#logDensity}, scores against its central finite differences,
 * and, for a product, against the closed-form product mixture.
 */
class ComposedTargetTest {

    static void check(Density tree, int d) {
        int levels = 20;
        try (NDManager m = NDManager.newBaseManager();
                ComposedTarget t = ComposedTarget.of(tree, List.of(), Shape.of(d), levels, RuntimeProvider.NONE, m)) {
            SplittableRandom r = new SplittableRandom(1);
            for (int level : new int[] {1, 7, levels}) {
                double ab = t.alphaBar(level);
                ToDoubleFunction<double[]> exact = GmmAlgebra.logDensity(tree, ab);
                int k = 6;
                double[] x = new double[k * d];
                for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian() * 0.7;
                LogTarget.Eval e = t.evaluate(x, level, LogTarget.Need.SCORE_AND_ENERGY);
                double ref0 = exact.applyAsDouble(java.util.Arrays.copyOfRange(x, 0, d));
                for (int p = 0; p < k; p++) {
                    double[] xp = java.util.Arrays.copyOfRange(x, p * d, (p + 1) * d);
                    double want = exact.applyAsDouble(xp) - ref0;
                    assertEquals(want, e.priorLog()[p] - e.priorLog()[0], 1e-8 * (1 + Math.abs(want)), "log-density, level " + level);
                    for (int i = 0; i < d; i++) {
                        double h = 1e-5;
                        double[] a = xp.clone(), b = xp.clone();
                        a[i] += h;
                        b[i] -= h;
                        double fd = (exact.applyAsDouble(a) - exact.applyAsDouble(b)) / (2 * h);
                        assertEquals(fd, e.score()[p * d + i], 1e-5 * (1 + Math.abs(fd)), "score, level " + level);
                    }
                }
            }
        }
    }

    @Test
    void productOfRingAndBar() {
        check(Compositions.ringTimesBar(), 2);
    }

    @Test
    void mixtureOfMixtures() {
        check(Compositions.mixtureExample(), 2);
    }

    @Test
    void negationWithPowers() {
        check(Compositions.negationExample(), 2);
    }

    @Test
    void productIn8d() {
        check(Compositions.product8d(), 8);
    }

    @Test
    void productMatchesTheClosedFormProductMixture() {
        Density tree = Compositions.ringTimesBar();
        GmmAlgebra.Normalised exact = GmmAlgebra.exact(tree, 0.9).orElseThrow();
        ToDoubleFunction<double[]> pointwise = GmmAlgebra.logDensity(tree, 0.9);
        ToDoubleFunction<double[]> closed = exact.mixture().logDensityFunction();
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < 50; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian()};
            // p(x) q(x) = Z · (normalised product)(x)
            assertEquals(pointwise.applyAsDouble(x), exact.logNormaliser() + closed.applyAsDouble(x), 1e-9);
        }
    }

    @Test
    void mixtureOfMixturesIsTheConcatenatedMixture() {
        GmmAlgebra.Normalised n = GmmAlgebra.exact(Compositions.mixtureExample(), 1.0).orElseThrow();
        GaussianMixture g = n.mixture();
        assertEquals(3, g.components());
        assertEquals(0.25, g.weights()[0], 1e-12);
        assertEquals(0.375, g.weights()[1], 1e-12);
        assertEquals(0.0, n.logNormaliser(), 1e-12);
    }
}
