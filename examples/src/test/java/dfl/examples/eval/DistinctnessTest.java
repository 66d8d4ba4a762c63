package dfl.examples.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The evaluations' count of distinct outputs: copies and near-copies (differing by less than δ in RMS over the hidden
 * pixels, or only on observed pixels) are one completion; bitwise distinct rows are counted apart.
 */
class DistinctnessTest {

    private static final boolean[] BOTTOM = Distinctness.hiddenOf("top-half");

    /** A 28×28 image: {@code top} on the observed half, {@code bottom} on the hidden half. */
    private static float[] image(float top, float bottom) {
        float[] x = new float[784];
        for (int i = 0; i < 784; i++) x[i] = i < 392 ? top : bottom;
        return x;
    }

    @Test
    void copiesAreOneOutput() {
        float[][] draws = {image(0, 0.5f), image(0, 0.5f), image(0, 0.5f)};
        assertEquals(new Distinctness(1, 1), Distinctness.of(draws, 16, BOTTOM, 0.15));
    }

    @Test
    void nearCopiesAreBitwiseDistinctButOneCompletion() {
        float[][] draws = {image(0, 0.5f), image(0, 0.55f), image(0.9f, 0.46f)};
        assertEquals(new Distinctness(3, 1), Distinctness.of(draws, 16, BOTTOM, 0.15),
                "hidden halves within 0.05 of each other; the observed half does not count");
        assertEquals(new Distinctness(3, 3), Distinctness.of(draws, 16, BOTTOM, 0.01), "a smaller δ tells them apart");
    }

    @Test
    void differentCompletionsAreCountedGreedilyInOrder() {
        // 0.2 is 0.2 from 0.0 and is kept; 0.3 is only 0.1 from 0.2 and is not; 0.6 is far from both
        float[][] draws = {image(0, 0f), image(0, 0.2f), image(0, 0.3f), image(0, 0.6f)};
        assertEquals(new Distinctness(4, 3), Distinctness.of(draws, 16, BOTTOM, 0.15));
    }

    @Test
    void onlyTheFirstOutputsDrawsCount() {
        float[][] draws = {image(0, 0f), image(0, 0f), image(0, 0.5f), image(0, 1f)};
        assertEquals(new Distinctness(1, 1), Distinctness.of(draws, 2, BOTTOM, 0.15));
        assertEquals(new Distinctness(3, 3), Distinctness.of(draws, 16, BOTTOM, 0.15));
    }

    @Test
    void hiddenPixelsAreTheComplementOfTheObservedMask() {
        boolean[] right = Distinctness.hiddenOf("left-half");
        assertEquals(true, right[27]);
        assertEquals(false, right[0]);
        assertEquals(784, count(Distinctness.hiddenOf("none")));
        assertEquals(392, count(right));
        assertThrows(IllegalArgumentException.class, () -> Distinctness.hiddenOf("diagonal"));
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) if (v) n++;
        return n;
    }
}
