package dfl.examples.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many different outputs a run gave, counted on its N equal-weight draws ({@link dfl.api.Result#draws()}, what
 * draws.npy holds), so that weight concentrated on few samples shows as repeated draws:
 * <ul>
 *   <li>{@link #bitwise}: draws that are not bitwise copies of one another;
 *   <li>{@link #completions}: distinct completions, a greedy δ-packing of the draws in their order: a draw counts when
 *       the root mean square difference over the hidden pixels between it and every draw counted before it exceeds δ.
 *       Particles that share an ancestor a few low-noise steps before the end differ by a few hundredths (pixels in
 *       [-1, 1]) and look alike; two different plausible completions differ by tenths.
 * </ul>
 */
record Distinctness(int bitwise, int completions) {

    /**
     * The counts for the first {@code outputs} of {@code draws} (rows of equal length; any prefix of a run's draws is a
     * draw), comparing the pixels where {@code hidden} is true.
     */
    static Distinctness of(float[][] draws, int outputs, boolean[] hidden, double delta) {
        draws = java.util.Arrays.copyOf(draws, Math.min(outputs, draws.length));
        Set<List<Float>> unique = new HashSet<>();
        for (float[] d : draws) {
            List<Float> key = new ArrayList<>(d.length);
            for (float v : d) key.add(v);
            unique.add(key);
        }
        int n = 0;
        for (boolean h : hidden) if (h) n++;
        List<float[]> kept = new ArrayList<>();
        for (float[] d : draws) {
            boolean far = true;
            for (float[] k : kept) {
                double s = 0;
                for (int i = 0; i < d.length; i++) {
                    if (!hidden[i]) continue;
                    double e = d[i] - k[i];
                    s += e * e;
                }
                far &= Math.sqrt(s / n) > delta;
            }
            if (far) kept.add(d);
        }
        return new Distinctness(unique.size(), kept.size());
    }

    /** The hidden pixels of a 28×28 image observed through {@code mask(name, 28, 28)}: its complement; all for "none". */
    static boolean[] hiddenOf(String observedMask) {
        boolean[] h = new boolean[784];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                h[r * 28 + c] = switch (observedMask) {
                    case "top-half" -> r >= 14;
                    case "bottom-half" -> r < 14;
                    case "left-half" -> c >= 14;
                    case "right-half" -> c < 14;
                    case "none" -> true;
                    default -> throw new IllegalArgumentException("unknown mask " + observedMask
                            + " (top-half, bottom-half, left-half, right-half or none)");
                };
            }
        }
        return h;
    }

    /** Mean and minimum of the per-run counts, for the evaluation tables. */
    /** The evaluation mains' options for counting distinct outputs (a picocli mixin). */
    static final class Options {
        @picocli.CommandLine.Option(names = "--distinct-rmse", description = "RMS difference over the hidden pixels (in "
                + "[-1, 1]) above which two draws are distinct completions (default ${DEFAULT-VALUE})")
        double distinctRmse = 0.15;

        @picocli.CommandLine.Option(names = "--outputs", description = "how many of a run's equal-weight draws are its "
                + "outputs, for runs with more samples (default ${DEFAULT-VALUE})")
        int outputs = 16;

        /** The distinct outputs among a run's first {@code outputs} draws. */
        Distinctness of(float[][] draws, boolean[] hidden) {
            return Distinctness.of(draws, outputs, hidden, distinctRmse);
        }
    }

    static final class Tally {
        private final RunMean bitwise = new RunMean();
        private final RunMean completions = new RunMean();
        private int minCompletions = Integer.MAX_VALUE;

        void add(Distinctness d) {
            bitwise.add(d.bitwise());
            completions.add(d.completions());
            minCompletions = Math.min(minCompletions, d.completions());
        }

        /** "bitwise mean | completions mean | completions min" as table cells. */
        String cells() {
            return String.format(java.util.Locale.ROOT, "%.1f | %.1f | %d", bitwise.mean(), completions.mean(), minCompletions);
        }
    }
}
