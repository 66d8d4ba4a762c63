package dfl.examples.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Unconditional MNIST samples through the one pipeline: {@code prior = diffusion("mnist"); sample x with
 * reverse(...)}, run in batches of {@code --batch} particles (batch k uses seed {@code --seed} + k), the first 100
 * drawn as a PNG grid, all scored by the evaluation classifier (trained on the test split only): the share with
 * maximum softmax probability above 0.9, its binomial standard error, and the histogram of predicted classes.
 * This is docs/mnist.md's "Unconditional samples" table ({@code training/evaluate.sh}).
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistUnconditionalEval --n 1000 --steps 100 --png docs/images/mnist-samples.png}
 */
@Command(name = "MnistUnconditionalEval", mixinStandardHelpOptions = true,
        description = "Unconditional MNIST samples by reverse diffusion, scored by the evaluation classifier.")
public final class MnistUnconditionalEval implements Callable<Integer> {

    private static final int SIDE = 28;
    private static final int PIXELS = SIDE * SIDE;

    @Option(names = "--n", description = "number of samples (default ${DEFAULT-VALUE})")
    int n = 100;

    @Option(names = "--steps", description = "reverse-diffusion steps (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--seed", description = "seed of the first batch (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--batch", description = "particles per run (default ${DEFAULT-VALUE})")
    int batch = 100;

    @Option(names = "--png", description = "grid of the first 100 samples (default ${DEFAULT-VALUE})")
    Path png = Path.of("mnist-samples.png");

    @Option(names = "--scale", description = "pixels per image pixel in the grid (default ${DEFAULT-VALUE})")
    int scale = 2;

    @Option(names = "--summary", description = "write the figures as a properties file")
    Path summary;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistUnconditionalEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        String program = "prior = diffusion(\"mnist\");\nsample x with reverse(particles = " + batch + ", steps = " + steps + ");\n";
        DflModel model = Dfl.compile(program, "unconditional");
        float[] all = new float[n * PIXELS];
        long t0 = System.nanoTime();
        for (int start = 0, k = 0; start < n; start += batch, k++) {
            int b = Math.min(batch, n - start);
            Result r;
            try (SamplerRun run = model.sampler().optParticles(b).optSeed(seed + k).build()) {
                r = run.run();
            }
            float[][] xs = r.samples();
            for (int i = 0; i < b; i++) System.arraycopy(xs[i], 0, all, (start + i) * PIXELS, PIXELS);
            System.out.printf(Locale.ROOT, "sampled %d/%d (%.0f s)%n", start + b, n, (System.nanoTime() - t0) / 1e9);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        writeGrid(all, Math.min(n, 100), 10, scale, png);
        System.out.println("wrote " + png);

        int[] hist = new int[10];
        int confident = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            MnistClassifier clf = MnistModels.loadClassifier(m, true);
            for (int start = 0; start < n; start += 500) {
                int b = Math.min(500, n - start);
                try (NDManager sub = m.newSubManager()) {
                    NDArray x = sub.create(Arrays.copyOfRange(all, start * PIXELS, (start + b) * PIXELS), new Shape(b, 1, SIDE, SIDE));
                    NDArray p = clf.logits(x).softmax(1);
                    float[] maxP = p.max(new int[] {1}).toFloatArray();
                    long[] arg = p.argMax(1).toLongArray();
                    for (int i = 0; i < b; i++) {
                        if (maxP[i] > 0.9f) confident++;
                        hist[(int) arg[i]]++;
                    }
                }
            }
        }
        double share = confident / (double) n;
        double se = Math.sqrt(share * (1 - share) / n); // binomial standard error of the share
        System.out.printf(Locale.ROOT, "eval classifier: %d/%d samples with confidence > 0.9 (%.3f ± %.3f); predicted classes %s;"
                + " %.1f s sampling%n", confident, n, share, se, Arrays.toString(hist), seconds);
        if (summary != null) {
            Properties out = new Properties();
            out.setProperty("samples", Integer.toString(n));
            out.setProperty("sampling_steps", Integer.toString(steps));
            out.setProperty("seed", Long.toString(seed));
            out.setProperty("sampling_seconds", String.format(Locale.ROOT, "%.1f", seconds));
            out.setProperty("confident_share", String.format(Locale.ROOT, "%.4f", share));
            out.setProperty("confident_share_se", String.format(Locale.ROOT, "%.4f", se));
            out.setProperty("class_histogram", Arrays.toString(hist));
            try (OutputStream os = Files.newOutputStream(summary)) {
                out.store(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8), "MnistUnconditionalEval");
            }
        }
        return 0;
    }

    /** The first {@code count} images in {@code cols} columns with 2-pixel gaps, each pixel a {@code scale}² block. */
    static void writeGrid(float[] images, int count, int cols, int scale, Path png) throws IOException {
        int rows = (count + cols - 1) / cols;
        int cell = SIDE + 2;
        BufferedImage img = new BufferedImage((cols * cell + 2) * scale, (rows * cell + 2) * scale, BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < count; k++) {
            int oy = 2 + (k / cols) * cell;
            int ox = 2 + (k % cols) * cell;
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    float v = images[k * PIXELS + r * SIDE + c];
                    int g = Math.round(Math.max(0f, Math.min(1f, (v + 1) / 2)) * 255);
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            img.getRaster().setSample((ox + c) * scale + dx, (oy + r) * scale + dy, 0, g);
                        }
                    }
                }
            }
        }
        if (png.getParent() != null) Files.createDirectories(png.getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
