package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * dfl summary's statistics against NumPy's definitions, re-implemented here independently of {@link WeightedSummary}:
 * {@code np.average(x, weights=w)}, {@code np.sqrt(np.average((x - m)**2, weights=w))},
 * {@code np.quantile(x, q, weights=w, method="inverted_cdf")} (sort, cumulative sum over the total,
 * {@code searchsorted(side="left")}), and Kish's ESS {@code w.sum()**2 / (w**2).sum()}.
 */
class WeightedSummaryTest {

    /** A case small enough to check by hand: mean 3, variance 1, cumulative weights 0.1, 0.3, 0.6, 1. */
    @Test
    void aHandCheckedCase() {
        double[] x = {4, 1, 3, 2};
        double[] w = {0.4, 0.1, 0.3, 0.2};
        WeightedSummary.Row r = WeightedSummary.row("x", x, w, WeightedSummary.ess(w));
        assertEquals(3.0, r.mean(), 1e-15);
        assertEquals(1.0, r.sd(), 1e-15);
        assertArrayEquals(new double[] {1, 3, 4}, r.quantiles());
        assertEquals(1 / 0.30, r.ess(), 1e-12);
        assertEquals(1.0 / Math.sqrt(1 / 0.30), r.mcse(), 1e-12);
        // negative control: the unweighted mean (2.5) is far from the weighted one, so the weights are used
        assertTrue(Math.abs(Arrays.stream(x).average().orElseThrow() - r.mean()) > 0.4);
    }

    @Test
    void agreesWithNumpyStyleStatisticsOnRandomWeightedSamples() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rng.nextInt(300);
            int d = 1 + rng.nextInt(4);
            float[][] s = new float[n][d];
            double[] w = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) s[i][j] = (float) (rng.nextDouble() * 10 - 3 + (rng.nextInt(4) == 0 ? s[Math.max(0, i - 1)][j] : 0));
                total += w[i] = trial % 5 == 0 ? 1 : Math.exp(3 * rng.nextDouble());
            }
            for (int i = 0; i < n; i++) w[i] /= total;
            List<WeightedSummary.Row> rows = WeightedSummary.rows("x", new int[] {d}, s, w, false);
            assertEquals(d, rows.size());
            for (int j = 0; j < d; j++) {
                double[] x = new double[n];
                for (int i = 0; i < n; i++) x[i] = s[i][j];
                WeightedSummary.Row r = rows.get(j);
                assertEquals("x[" + (j + 1) + "]", r.name());
                double m = npAverage(x, w);
                double[] dev2 = new double[n];
                for (int i = 0; i < n; i++) dev2[i] = (x[i] - m) * (x[i] - m);
                double sd = Math.sqrt(npAverage(dev2, w));
                double ess = Math.pow(Arrays.stream(w).sum(), 2) / Arrays.stream(w).map(v -> v * v).sum();
                assertEquals(m, r.mean(), 1e-12 * (1 + Math.abs(m)), "mean");
                assertEquals(sd, r.sd(), 1e-12 * (1 + sd), "sd");
                assertEquals(ess, r.ess(), 1e-9 * ess, "ess");
                assertEquals(sd / Math.sqrt(ess), r.mcse(), 1e-12 * (1 + sd), "mcse");
                for (int k = 0; k < 3; k++) {
                    assertEquals(npQuantileInvertedCdf(x, w, WeightedSummary.QUANTILES[k]), r.quantiles()[k], 0.0, "q" + WeightedSummary.QUANTILES[k]);
                }
            }
        }
    }

    /** Images are summarised per statistic of each sample: its pixel mean, s.d., minimum and maximum. */
    @Test
    void imagesAreSummarisedPerStatistic() {
        float[][] s = {{0, 1, 2, 3}, {1, 1, 1, 1}};
        double[] w = {0.25, 0.75};
        assertTrue(WeightedSummary.byStatistic(new int[] {1, 2, 2}));
        assertTrue(!WeightedSummary.byStatistic(new int[] {4}));
        List<WeightedSummary.Row> rows = WeightedSummary.rows("x", new int[] {1, 2, 2}, s, w, true);
        assertEquals(List.of("mean(x)", "sd(x)", "min(x)", "max(x)"), rows.stream().map(WeightedSummary.Row::name).toList());
        assertEquals(0.25 * 1.5 + 0.75 * 1, rows.get(0).mean(), 1e-15);
        assertEquals(0.25 * Math.sqrt(1.25), rows.get(1).mean(), 1e-15);
        assertEquals(0.75, rows.get(2).mean(), 1e-15);
        assertEquals(0.25 * 3 + 0.75, rows.get(3).mean(), 1e-15);
        assertEquals("x[1,2,1]", "x" + WeightedSummary.index(new int[] {1, 2, 2}, 2));
    }

    private static double npAverage(double[] x, double[] w) {
        double num = 0, den = 0;
        for (int i = 0; i < x.length; i++) {
            num += x[i] * w[i];
            den += w[i];
        }
        return num / den;
    }

    /** NumPy's inverted_cdf with weights: sort, cdf = cumsum / total, the first index with cdf >= q (searchsorted left). */
    private static double npQuantileInvertedCdf(double[] x, double[] w, double q) {
        int n = x.length;
        double[][] pairs = new double[n][];
        for (int i = 0; i < n; i++) pairs[i] = new double[] {x[i], w[i]};
        Arrays.sort(pairs, (a, b) -> Double.compare(a[0], b[0]));
        double[] cdf = new double[n];
        double c = 0;
        for (int i = 0; i < n; i++) cdf[i] = c += pairs[i][1];
        for (int i = 0; i < n; i++) cdf[i] /= cdf[n - 1];
        int lo = 0, hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < q) lo = mid + 1;
            else hi = mid;
        }
        return pairs[Math.min(lo, n - 1)][0];
    }
}
