package dfl.runtime.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.gmm.GaussianMixture;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The score line integral ∫₀¹ s(x + u(y−x))·(y−x) du reproduces the exact log-density difference of a Gaussian
 * mixture, with an error that falls as the points grow, Simpson's rule below the trapezoid rule; the exact part
 * of a hybrid target enters exactly.
 */
class LineIntegralProperties {

    /** A random 2-D mixture of 3 components (std in [0.3, 1]) and a segment of length up to about 4. */
    static JavaGmmTarget randomMixture(SplittableRandom r) {
        int c = 3;
        double[] w = new double[c];
        double[][] mu = new double[c][2];
        double[][][] cov = new double[c][][];
        for (int i = 0; i < c; i++) {
            w[i] = 0.2 + r.nextDouble();
            mu[i][0] = r.nextDouble(-2, 2);
            mu[i][1] = r.nextDouble(-2, 2);
            double s = r.nextDouble(0.3, 1.0);
            double rho = r.nextDouble(-0.5, 0.5);
            cov[i] = new double[][] {{s * s, rho * s * s}, {rho * s * s, s * s}};
        }
        return new JavaGmmTarget(new GaussianMixture(w, mu, cov));
    }

    static double[] point(SplittableRandom r) {
        return new double[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)};
    }

    static double error(JavaGmmTarget t, double[] x, double[] y, String rule, int n) {
        LogTarget.Eval ex = t.evaluate(x, 1, LogTarget.Need.SCORE);
        LogTarget.Eval ey = t.evaluate(y, 1, LogTarget.Need.SCORE);
        double li = MhRatio.lineIntegral(rule, n).straight(t, 1, x, ex, y, ey)[0];
        return Math.abs(li - (t.priorLog(y, 0) - t.priorLog(x, 0)));
    }

    @Property(tries = 300, seed = "20261129")
    void convergesToTheExactEnergyDifference(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        JavaGmmTarget t = randomMixture(r);
        double[] x = point(r), y = point(r);
        // the integrand varies on the scale of the smallest std (0.3) over a segment of length ≤ 5.7:
        // 257 points give h ≈ 0.02, trapezoid error ~ h²·|f''|/12, Simpson's ~ h⁴. Absolute bounds alone depend on
        // the draw (a mixture with std 0.3 across a long segment gave a Simpson error of 1.5e-6), so the rules are
        // also held to their order: halving h divides the error by about 4 (trapezoid) and 16 (Simpson), checked
        // with slack (3 and 8) above a round-off floor
        double trap = error(t, x, y, "trapezoid", 257), trapCoarse = error(t, x, y, "trapezoid", 129);
        double simp = error(t, x, y, "simpson", 257), simpCoarse = error(t, x, y, "simpson", 129);
        assertTrue(trap < 2e-3, "trapezoid error " + trap);
        assertTrue(simp < 1e-5, "Simpson error " + simp);
        assertTrue(trap <= trapCoarse / 3 + 1e-10, "trapezoid error " + trap + " after " + trapCoarse + " at 129 points");
        assertTrue(simp <= simpCoarse / 8 + 1e-10, "Simpson error " + simp + " after " + simpCoarse + " at 129 points");
    }

    @Property(tries = 200)
    void exactPartEntersExactly(@ForAll @IntRange(min = 0, max = 1_000_000) int seed,
            @ForAll @DoubleRange(min = 0.05, max = 4) double factorVar) {
        SplittableRandom r = new SplittableRandom(seed);
        GaussianMixture g = randomMixture(r).mixture();
        JavaGmmTarget hybrid = new JavaGmmTarget(g, point(r), factorVar);
        JavaGmmTarget priorOnly = new JavaGmmTarget(g);
        double[] x = point(r), y = point(r);
        MhRatio mh = MhRatio.lineIntegral("trapezoid", 3);
        double h = mh.straight(hybrid, 1, x, hybrid.evaluate(x, 1, LogTarget.Need.SCORE), y,
                hybrid.evaluate(y, 1, LogTarget.Need.SCORE))[0];
        double p = mh.straight(priorOnly, 1, x, priorOnly.evaluate(x, 1, LogTarget.Need.SCORE), y,
                priorOnly.evaluate(y, 1, LogTarget.Need.SCORE))[0];
        // the factor's log-density difference, however sharp the factor, is added exactly, not integrated
        assertEquals(hybrid.exactLog(y, 0) - hybrid.exactLog(x, 0), h - p, 1e-9 * (1 + Math.abs(h - p)));
    }

    /** Mean |error| over 400 random mixtures and segments for each n, as {trapezoid[], simpson[]}. */
    static double[][] meanErrors(int[] points, double segment) {
        double[] trap = new double[points.length];
        double[] simp = new double[points.length];
        SplittableRandom r = new SplittableRandom(42);
        int cases = 400;
        for (int c = 0; c < cases; c++) {
            JavaGmmTarget t = randomMixture(r);
            double[] x = point(r);
            double[] y = segment > 0 ? new double[] {x[0] + segment * r.nextGaussian(), x[1] + segment * r.nextGaussian()}
                    : point(r);
            for (int i = 0; i < points.length; i++) {
                trap[i] += error(t, x, y, "trapezoid", points[i]) / cases;
                simp[i] += error(t, x, y, "simpson", points[i]) / cases;
            }
        }
        for (int i = 0; i < points.length; i++) {
            System.out.printf(java.util.Locale.ROOT, "line integral (%s) n=%d: mean |error| trapezoid %.3e, Simpson %.3e%n",
                    segment > 0 ? "proposal-sized step " + segment : "long segment", points[i], trap[i], simp[i]);
        }
        return new double[][] {trap, simp};
    }

    @Test
    void proposalSizedSteps_errorFallsWithPointsAndSimpsonBeatsTrapezoid() {
        int[] points = {3, 5, 9, 17};
        double[][] e = meanErrors(points, 0.3);
        for (int i = 0; i < points.length; i++) {
            assertTrue(e[1][i] < e[0][i], "n=" + points[i] + ": Simpson " + e[1][i] + " vs trapezoid " + e[0][i]);
            if (i > 0) {
                assertTrue(e[0][i] < e[0][i - 1], "trapezoid error did not fall at n=" + points[i]);
                assertTrue(e[1][i] < e[1][i - 1], "Simpson error did not fall at n=" + points[i]);
            }
        }
        // asymptotic orders: halving h divides the trapezoid error by about 4 and Simpson's by about 16
        assertTrue(e[0][2] / e[0][3] > 3, "trapezoid order: ratio " + e[0][2] / e[0][3]);
        assertTrue(e[1][2] / e[1][3] > 10, "Simpson order: ratio " + e[1][2] / e[1][3]);
    }

    @Test
    void longSegments_errorFallsAndSimpsonWinsOnceResolved() {
        // segments of length ~3 across components of std 0.3: with few points neither rule resolves the integrand
        // and Simpson's extrapolation can be worse; its higher order wins once the points resolve it
        int[] points = {3, 5, 9, 17, 33};
        double[][] e = meanErrors(points, 0);
        for (int i = 1; i < points.length; i++) {
            assertTrue(e[0][i] < e[0][i - 1], "trapezoid error did not fall at n=" + points[i]);
            assertTrue(e[1][i] < e[1][i - 1], "Simpson error did not fall at n=" + points[i]);
        }
        assertTrue(e[1][3] < e[0][3] && e[1][4] < e[0][4], "Simpson should win at n = 17 and 33");
    }
}
