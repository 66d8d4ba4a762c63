package dfl.runtime.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import javax.imageio.ImageIO;

/**
 * A PNG grid of image samples ([H, W] or [1, H, W], values in [−1, 1]), heaviest particle first, with a
 * one-pixel gap between tiles.
 */
public final class SampleGrid {

    private SampleGrid() {}

    /** Whether a per-sample shape is an image this grid can draw. */
    public static boolean isImage(int[] shape) {
        return (shape.length == 2 && shape[0] > 1 && shape[1] > 1)
                || (shape.length == 3 && shape[0] == 1 && shape[1] > 1 && shape[2] > 1);
    }

    /** Writes the grid atomically; samples are sorted by decreasing weight. */
    public static void write(Path file, int[] shape, float[][] samples, double[] logWeights) throws IOException {
        int h = shape[shape.length - 2], w = shape[shape.length - 1];
        int n = samples.length;
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logWeights[i]));
        BufferedImage img = new BufferedImage(cols * (w + 1) + 1, rows * (h + 1) + 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int t = 0; t < n; t++) {
            float[] s = samples[order[t]];
            int ox = 1 + (t % cols) * (w + 1), oy = 1 + (t / cols) * (h + 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double v = (s[y * w + x] + 1) / 2;
                    int g = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
                    img.getRaster().setSample(ox + x, oy + y, 0, g);
                }
            }
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        });
    }
}
