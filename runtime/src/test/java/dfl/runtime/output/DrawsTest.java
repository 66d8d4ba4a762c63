package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** draws.npy: equal-weight draws by systematic resampling, shuffled, from the run's seed. */
class DrawsTest {

    @Test
    void equalWeightsAreTheDrawsThemselves() {
        float[] s = {1, 2, 3, 4, 5, 6};
        assertNull(Draws.ancestors(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 7));
        assertArrayEquals(s, Draws.of(s, 2, new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, 7));
    }

    /** Systematic resampling: sample i appears ⌊N w_i⌋ or ⌈N w_i⌉ times; the order is shuffled; the seed fixes it. */
    @Test
    void eachSampleIsCopiedInProportionToItsWeight() {
        int n = 1000;
        double[] w = new double[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        double total = 0;
        for (int i = 0; i < n; i++) total += w[i] = Math.pow(r.nextDouble(), 4);
        for (int i = 0; i < n; i++) w[i] /= total;
        int[] a = Draws.ancestors(w, 11);
        int[] counts = new int[n];
        for (int x : a) counts[x]++;
        for (int i = 0; i < n; i++) {
            assertTrue(counts[i] >= Math.floor(n * w[i]) - 1e-9 && counts[i] <= Math.ceil(n * w[i]) + 1e-9, i + ": " + counts[i] + " for N w = " + n * w[i]);
        }
        assertTrue(!isSorted(a), "the draws are shuffled, so any prefix is a draw");
        assertArrayEquals(a, Draws.ancestors(w, 11));
        assertTrue(!Arrays.equals(a, Draws.ancestors(w, 12)), "another seed, other draws");
        float[] samples = new float[n];
        for (int i = 0; i < n; i++) samples[i] = i;
        float[] d = Draws.of(samples, 1, w, 11);
        for (int i = 0; i < n; i++) assertTrue(d[i] == a[i]);
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = new float[] {i, -i};
        float[][] drawn = Draws.of(rows, w, 11);
        for (int i = 0; i < n; i++) assertArrayEquals(rows[a[i]], drawn[i], "the rows' draws are draws.npy's");
        assertTrue(drawn[0] != rows[a[0]], "copies, not the samples themselves");
    }

    private static boolean isSorted(int[] a) {
        for (int i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
        return true;
    }
}
