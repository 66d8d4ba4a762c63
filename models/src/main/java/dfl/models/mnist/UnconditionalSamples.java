package dfl.models.mnist;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * Draws unconditional samples from the MNIST diffusion model, writes a PNG grid and (optionally)
 * scores them with the evaluation classifier.
 *
 * <pre>
 * UnconditionalSamples [--models DIR] [--n 100] [--steps 250] [--seed 0] [--batch 100] [--png FILE]
 *            [--classify] [--summary FILE] [--scale K]
 * </pre>
 * {@code --models} defaults to the classpath resources. The grid shows the first 100 samples
 * (10 per row), each pixel drawn as a K×K block. {@code --classify} reports the share of samples the eval classifier labels with
 * max softmax probability above 0.9, and the predicted-class histogram.
 */
public final class UnconditionalSamples {
    private UnconditionalSamples() {}

    /**
     * Entry point.
     *
     * @param argv see the class comment
     * @throws IOException on I/O failure
     */
    public static void main(String[] argv) throws IOException {
        Path models = null;
        int n = 100;
        int steps = 250;
        long seed = 0;
        int batch = 100;
        Path png = Path.of("mnist-samples.png");
        Path summary = null;
        boolean classify = false;
        int scale = 1;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--models" -> models = Path.of(argv[++i]);
                case "--n" -> n = Integer.parseInt(argv[++i]);
                case "--steps" -> steps = Integer.parseInt(argv[++i]);
                case "--seed" -> seed = Long.parseLong(argv[++i]);
                case "--batch" -> batch = Integer.parseInt(argv[++i]);
                case "--png" -> png = Path.of(argv[++i]);
                case "--summary" -> summary = Path.of(argv[++i]);
                case "--classify" -> classify = true;
                case "--scale" -> scale = Integer.parseInt(argv[++i]);
                default -> {
                    System.err.println("unknown option " + argv[i]);
                    System.exit(64);
                }
            }
        }
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            MnistDiffusion model = MnistModels.loadDiffusion(m, models);
            AncestralSampler sampler = new AncestralSampler(model, steps);
            float[] all = new float[n * MnistIdx.PIXELS];
            for (int start = 0, k = 0; start < n; start += batch, k++) {
                int b = Math.min(batch, n - start);
                try (NDManager sub = m.newSubManager()) {
                    float[] xs = sampler.sample(sub, b, Seeds.mix(seed, k)).toFloatArray();
                    System.arraycopy(xs, 0, all, start * MnistIdx.PIXELS, xs.length);
                }
                System.out.printf(Locale.ROOT, "sampled %d/%d (%.0f s)%n", start + b, n, (System.nanoTime() - t0) / 1e9);
            }
            double sampleSeconds = (System.nanoTime() - t0) / 1e9;
            writeGrid(all, Math.min(n, 100), 10, scale, png);
            System.out.println("wrote " + png);
            Properties out = new Properties();
            out.setProperty("samples", Integer.toString(n));
            out.setProperty("sampling_steps", Integer.toString(steps));
            out.setProperty("seed", Long.toString(seed));
            out.setProperty("sampling_seconds", String.format(Locale.ROOT, "%.1f", sampleSeconds));
            out.setProperty("model.train.steps", model.properties().getProperty("train.steps", "?"));
            if (classify) {
                MnistClassifier clf = MnistModels.loadClassifier(m, true, models);
                int[] hist = new int[10];
                int confident = 0;
                for (int start = 0; start < n; start += 500) {
                    int b = Math.min(500, n - start);
                    try (NDManager sub = m.newSubManager()) {
                        NDArray x = sub.create(Arrays.copyOfRange(all, start * MnistIdx.PIXELS, (start + b) * MnistIdx.PIXELS),
                                new ai.djl.ndarray.types.Shape(b, 1, 28, 28));
                        NDArray p = clf.logits(x).softmax(1);
                        float[] maxP = p.max(new int[] {1}).toFloatArray();
                        long[] arg = p.argMax(1).toLongArray();
                        for (int i = 0; i < b; i++) {
                            if (maxP[i] > 0.9f) {
                                confident++;
                            }
                            hist[(int) arg[i]]++;
                        }
                    }
                }
                double share = confident / (double) n;
                // binomial standard error of the share
                double se = Math.sqrt(share * (1 - share) / n);
                System.out.printf(Locale.ROOT, "eval classifier: %d/%d samples with confidence > 0.9 (%.3f ± %.3f); predicted classes %s%n",
                        confident, n, share, se, Arrays.toString(hist));
                out.setProperty("confident_share", String.format(Locale.ROOT, "%.4f", share));
                out.setProperty("confident_share_se", String.format(Locale.ROOT, "%.4f", se));
                out.setProperty("class_histogram", Arrays.toString(hist));
            }
            if (summary != null) {
                TrainLoop.writeProps(out, summary, "SampleGrid summary");
            }
        }
    }

    /**
     * Writes the first {@code count} images as a grid with {@code cols} columns and 2-pixel gaps,
     * every pixel as a {@code scale}×{@code scale} block.
     */
    static void writeGrid(float[] images, int count, int cols, int scale, Path png) throws IOException {
        int rows = (count + cols - 1) / cols;
        int cell = MnistIdx.SIDE + 2;
        BufferedImage small = new BufferedImage(cols * cell + 2, rows * cell + 2, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage img = small;
        for (int k = 0; k < count; k++) {
            int oy = 2 + (k / cols) * cell;
            int ox = 2 + (k % cols) * cell;
            for (int r = 0; r < MnistIdx.SIDE; r++) {
                for (int c = 0; c < MnistIdx.SIDE; c++) {
                    float v = images[k * MnistIdx.PIXELS + r * MnistIdx.SIDE + c];
                    int g = Math.round(Math.max(0f, Math.min(1f, (v + 1) / 2)) * 255);
                    small.getRaster().setSample(ox + c, oy + r, 0, g);
                }
            }
        }
        if (scale > 1) {
            img = new BufferedImage(small.getWidth() * scale, small.getHeight() * scale, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.getRaster().setSample(x, y, 0, small.getRaster().getSample(x / scale, y / scale, 0));
                }
            }
        }
        if (png.getParent() != null) {
            Files.createDirectories(png.getParent());
        }
        ImageIO.write(img, "png", png.toFile());
    }
}
