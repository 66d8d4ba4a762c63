package dfl.models.mnist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Location of the MNIST IDX files for tests ({@code -Ddfl.mnist.dir=...} overrides). */
final class TestData {
    private TestData() {}

    static Path dir() {
        Path p = Path.of(System.getProperty("dfl.mnist.dir", "/work/shared/data/mnist"));
        assumeTrue(Files.exists(p.resolve("train-images-idx3-ubyte.gz")), "MNIST data not found at " + p);
        return p;
    }
}
