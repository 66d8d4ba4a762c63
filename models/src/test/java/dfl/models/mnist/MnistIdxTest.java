package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistIdxTest {

    @Test
    void trainAndTestSplitsHaveExpectedSizesRangesAndLabels() throws IOException {
        check(MnistIdx.load(TestData.dir(), MnistIdx.Split.TRAIN), 7996);
        check(MnistIdx.load(TestData.dir(), MnistIdx.Split.TEST), 2004);
    }

    private static void check(MnistIdx.Data d, int n) {
        assertEquals(n, d.n());
        assertEquals(n * 784, d.images().length);
        assertEquals(n, d.labels().length);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : d.images()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        // background pixels are exactly 0 -> -1 and saturated strokes 255 -> +1
        assertEquals(-1f, min);
        assertEquals(1f, max);
        double mean = sum / d.images().length;
        // MNIST is ~81% background: the mean in [-1,1] scaling is about -0.74
        assertTrue(mean > -0.8 && mean < -0.65, "mean pixel " + mean);
        int[] counts = d.labelCounts();
        assertEquals(n, Arrays.stream(counts).sum());
        for (int c = 0; c < 10; c++) {
            // each digit is 9-11% of MNIST; allow a wide band for these subsets
            assertTrue(counts[c] > 0.07 * n && counts[c] < 0.14 * n, "class " + c + " count " + counts[c]);
        }
    }

    @Test
    void knownPixelValuesAreScaledExactly(@TempDir Path dir) throws IOException {
        Path img = dir.resolve("x-images-idx3-ubyte.gz");
        byte[] pixels = new byte[2 * 784];
        pixels[0] = 0;
        pixels[1] = (byte) 255;
        pixels[784 + 5] = (byte) 51;
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(img)))) {
            out.writeInt(0x803);
            out.writeInt(2);
            out.writeInt(28);
            out.writeInt(28);
            out.write(pixels);
        }
        float[] f = MnistIdx.readImages(img);
        assertEquals(2 * 784, f.length);
        assertEquals(-1f, f[0]);
        assertEquals(1f, f[1]);
        assertEquals(51 / 127.5f - 1f, f[784 + 5]);
    }

    @Test
    void rejectsWrongMagicAndTruncation(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(bad)))) {
            out.writeInt(0x801);
            out.writeInt(3);
            out.write(new byte[] {1, 2});
        }
        assertThrows(IOException.class, () -> MnistIdx.readImages(bad));
        // right magic, 3 labels announced, only 2 present
        assertThrows(IOException.class, () -> MnistIdx.readLabels(bad));
    }
}
