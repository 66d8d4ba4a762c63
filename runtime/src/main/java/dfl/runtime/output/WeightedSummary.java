package dfl.runtime.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Weighted summary statistics of samples, one row per coordinate or, for images, per summary statistic of each sample
 * (its pixel mean, s.d., minimum and maximum): what {@code dfl summary} and the REPL's {@code :show} print. With
 * normalised weights w (Σw = 1):
 * <ul>
 *   <li>mean = Σ w x; s.d. = √(Σ w (x − mean)²) (NumPy's {@code np.average((x - m)**2, weights=w)}, no bias correction);
 *   <li>quantile q = the smallest x whose cumulative weight, in increasing x, reaches q (NumPy's
 *       {@code np.quantile(x, q, weights=w, method="inverted_cdf")});
 *   <li>ESS = 1 / Σ w² (Kish's effective sample size, the same for every row); MCSE of the mean = s.d. / √ESS.
 * </ul>
 * Copies made by resampling are separate samples here: after a late resampling the ESS overstates the information, which
 * the distinct-sample count shows.
 */
public final class WeightedSummary {

    /** The probabilities of the quantile columns. */
    public static final double[] QUANTILES = {0.05, 0.5, 0.95};

    /** One row: a coordinate such as {@code x[2]} or a statistic such as {@code mean(x)}. */
    public record Row(String name, double mean, double mcse, double sd, double[] quantiles, double ess) {}

    private WeightedSummary() {}

    /**
     * The rows for N samples of {@code shape} (each flattened row-major) with normalised {@code weights}: one per
     * coordinate, or per statistic when {@code byStatistic} (images).
     */
    public static List<Row> rows(String latent, int[] shape, float[][] samples, double[] weights, boolean byStatistic) {
        double ess = ess(weights);
        List<Row> rows = new ArrayList<>();
        int d = samples.length == 0 ? 0 : samples[0].length;
        if (byStatistic) {
            String[] names = {"mean", "sd", "min", "max"};
            for (int s = 0; s < names.length; s++) {
                double[] v = new double[samples.length];
                for (int i = 0; i < samples.length; i++) v[i] = statistic(s, samples[i]);
                rows.add(row(names[s] + "(" + latent + ")", v, weights, ess));
            }
            return rows;
        }
        for (int j = 0; j < d; j++) {
            double[] v = new double[samples.length];
            for (int i = 0; i < samples.length; i++) v[i] = samples[i][j];
            rows.add(row(latent + index(shape, j), v, weights, ess));
        }
        return rows;
    }

    /** Whether {@code dfl summary} summarises a latent of this shape per statistic: images, or more than 100 values. */
    public static boolean byStatistic(int[] shape) {
        return SampleGrid.isImage(shape) || Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b) > 100;
    }

    /** The row of one quantity {@code v} (one value per sample). */
    public static Row row(String name, double[] v, double[] w, double ess) {
        double mean = 0;
        for (int i = 0; i < v.length; i++) mean += w[i] * v[i];
        double var = 0;
        for (int i = 0; i < v.length; i++) var += w[i] * (v[i] - mean) * (v[i] - mean);
        double sd = Math.sqrt(var);
        return new Row(name, mean, sd / Math.sqrt(ess), sd, quantiles(v, w, QUANTILES), ess);
    }

    /**
     * Weighted inverse-CDF quantiles: for each q the smallest value whose cumulative normalised weight is at least q
     * (as NumPy: the cumulative weights in increasing order of the values, divided by their total, and the first
     * index reaching q).
     */
    public static double[] quantiles(double[] v, double[] w, double... qs) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] cdf = new double[order.length];
        double cum = 0;
        for (int k = 0; k < order.length; k++) cdf[k] = cum += w[order[k]];
        double[] out = new double[qs.length];
        for (int j = 0; j < qs.length; j++) {
            int k = 0;
            while (k < order.length - 1 && cdf[k] / cum < qs[j]) k++;
            out[j] = v[order[k]];
        }
        return out;
    }

    /** Kish's effective sample size 1 / Σ w² of normalised weights. */
    public static double ess(double[] w) {
        double s = 0;
        for (double x : w) s += x * x;
        return 1 / s;
    }

    /** The number of distinct samples with non-zero weight (resampled copies count once). */
    public static int distinct(float[][] samples, double[] weights) {
        java.util.Set<List<Float>> seen = new java.util.HashSet<>();
        for (int i = 0; i < samples.length; i++) {
            if (weights[i] <= 0) continue;
            List<Float> key = new ArrayList<>(samples[i].length);
            for (float f : samples[i]) key.add(f);
            seen.add(key);
        }
        return seen.size();
    }

    private static double statistic(int which, float[] x) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float f : x) {
            mean += f;
            min = Math.min(min, f);
            max = Math.max(max, f);
        }
        mean /= x.length;
        if (which == 0) return mean;
        if (which == 2) return min;
        if (which == 3) return max;
        double var = 0;
        for (float f : x) var += (f - mean) * (f - mean);
        return Math.sqrt(var / x.length);
    }

    /** Stan-style 1-based index of flat coordinate {@code j}: {@code [3]}, {@code [1,2]}. */
    static String index(int[] shape, int j) {
        if (shape.length == 0) return "";
        int[] idx = new int[shape.length];
        int rest = j;
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = rest % shape[k] + 1;
            rest /= shape[k];
        }
        StringBuilder s = new StringBuilder("[");
        for (int k = 0; k < idx.length; k++) s.append(k > 0 ? "," : "").append(idx[k]);
        return s.append(']').toString();
    }

    /** A number in {@code sig} significant digits, as the table prints it. */
    public static String format(double v, int sig) {
        if (Double.isNaN(v)) return "nan";
        return String.format(Locale.ROOT, "%." + sig + "g", v);
    }
}
