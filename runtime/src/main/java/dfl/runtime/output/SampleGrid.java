package dfl.runtime.output;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of image samples ([H, W] or [1, H, W], values in [−1, 1]), heaviest particle first, with a
 * one-pixel gap between tiles. For inverse problems the observations come first, in a column of their own
 * left of a blue bar; pixels the observation does not constrain (outside a mask) are drawn dark blue. Images
 * smaller than 84 pixels are enlarged by an integer factor.
 */
public final class SampleGrid {

    private static final int BAR = 0x3050c0;
    private static final int UNOBSERVED = 0x1e2850;
    /** Small images (MNIST's 28 × 28) are enlarged to tiles of at least this many pixels, readable in any viewer. */
    private static final int MIN_TILE = 84;

    private SampleGrid() {}

    /** Whether a per-sample shape is an image this grid can draw. */
    public static boolean isImage(int[] shape) {
        return (shape.length == 2 && shape[0] > 1 && shape[1] > 1)
                || (shape.length == 3 && shape[0] == 1 && shape[1] > 1 && shape[2] > 1);
    }

    /** Writes the grid of samples alone, atomically; samples are sorted by decreasing weight. */
    public static void write(Path file, int[] shape, float[][] samples, double[] logWeights) throws IOException {
        write(file, shape, samples, logWeights, List.of());
    }

    /**
     * Writes the grid atomically with the observation panels in a column on the left (each scaled to the sample
     * tile size); samples are sorted by decreasing weight.
     */
    public static void write(Path file, int[] shape, float[][] samples, double[] logWeights,
            List<ObservationPanel> observations) throws IOException {
        int h = shape[shape.length - 2], w = shape[shape.length - 1];
        int n = samples.length;
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = Math.max((n + cols - 1) / cols, observations.size());
        int left = observations.isEmpty() ? 0 : w + 1 + 2;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logWeights[i]));
        BufferedImage img = new BufferedImage(left + cols * (w + 1) + 1, rows * (h + 1) + 1, BufferedImage.TYPE_INT_RGB);
        for (int t = 0; t < observations.size(); t++) {
            ObservationPanel o = observations.get(t);
            int oy = 1 + t * (h + 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // nearest neighbour, so a downsampled observation fills a whole tile
                    int i = (y * o.height() / h) * o.width() + x * o.width() / w;
                    img.setRGB(1 + x, oy + y, o.observed()[i] ? gray(o.values()[i]) : UNOBSERVED);
                }
            }
        }
        if (left > 0) {
            for (int y = 0; y < img.getHeight(); y++) {
                img.setRGB(left - 2, y, BAR);
                img.setRGB(left - 1, y, BAR);
            }
        }
        for (int t = 0; t < n; t++) {
            float[] s = samples[order[t]];
            int ox = left + 1 + (t % cols) * (w + 1), oy = 1 + (t / cols) * (h + 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) img.setRGB(ox + x, oy + y, gray(s[y * w + x]));
            }
        }
        BufferedImage scaled = upscale(img, Math.max(1, MIN_TILE / Math.max(h, w)));
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(scaled, "png", out)) throw new IOException("no PNG writer available");
        });
    }

    /** Integer nearest-neighbour enlargement: pixels stay sharp blocks. */
    private static BufferedImage upscale(BufferedImage img, int f) {
        if (f == 1) return img;
        BufferedImage out = new BufferedImage(img.getWidth() * f, img.getHeight() * f, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) out.setRGB(x, y, img.getRGB(x / f, y / f));
        }
        return out;
    }

    private static int gray(float value) {
        double v = (value + 1) / 2;
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, Double.isNaN(v) ? 0 : v)));
        return (g << 16) | (g << 8) | g;
    }
}
