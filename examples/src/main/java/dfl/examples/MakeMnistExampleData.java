package dfl.examples;

import dfl.models.mnist.MnistIdx;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the observation images the MNIST examples load, from the MNIST test split: the first test
 * digit of each class, so the files are reproducible. {@code seven.png} is a whole 7 (inpaint.dfl
 * observes its top half through a mask); {@code left-half-3.png} is a 3 with its right half black.
 *
 * <p>Run: {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.MakeMnistExampleData --data ../shared/data/mnist --out examples/mnist/data}
 */
@Command(name = "MakeMnistExampleData", mixinStandardHelpOptions = true, description = "Write the MNIST examples' observation images.")
public final class MakeMnistExampleData implements Callable<Integer> {

    @Option(names = "--data", description = "the folder with the MNIST IDX files (default ${DEFAULT-VALUE})")
    Path data = Path.of("../shared/data/mnist");

    @Option(names = "--out", description = "where the images go (default ${DEFAULT-VALUE})")
    Path out = Path.of("examples/mnist/data");

    public static void main(String[] args) {
        System.exit(new CommandLine(new MakeMnistExampleData()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        MnistIdx.Data test = MnistIdx.load(data, MnistIdx.Split.TEST);
        Files.createDirectories(out);
        write(out.resolve("seven.png"), digit(test, 7), false);
        write(out.resolve("left-half-3.png"), digit(test, 3), true);
        return 0;
    }

    private static float[] digit(MnistIdx.Data d, int label) {
        for (int i = 0; i < d.n(); i++) {
            if (d.labels()[i] == label) {
                float[] px = new float[MnistIdx.PIXELS];
                System.arraycopy(d.images(), i * MnistIdx.PIXELS, px, 0, MnistIdx.PIXELS);
                return px;
            }
        }
        throw new IllegalStateException("no test digit with label " + label);
    }

    /** Pixels in [-1, 1] to 8-bit grey; with {@code leftHalfOnly} the right half is black (-1). */
    private static void write(Path file, float[] px, boolean leftHalfOnly) throws IOException {
        BufferedImage img = new BufferedImage(MnistIdx.SIDE, MnistIdx.SIDE, BufferedImage.TYPE_BYTE_GRAY);
        for (int r = 0; r < MnistIdx.SIDE; r++) {
            for (int c = 0; c < MnistIdx.SIDE; c++) {
                float v = leftHalfOnly && c >= MnistIdx.SIDE / 2 ? -1f : px[r * MnistIdx.SIDE + c];
                int g = Math.round((v + 1f) / 2f * 255f);
                img.getRaster().setSample(c, r, 0, Math.max(0, Math.min(255, g)));
            }
        }
        Path tmp = Files.createTempFile(file.getParent(), ".tmp-", ".png");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
