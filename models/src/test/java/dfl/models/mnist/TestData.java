package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Location of the MNIST IDX files for tests: {@code ../shared/data/mnist} beside the project folder (surefire runs in
 * the module folder, hence {@code ../../shared}); {@code -Ddfl.mnist.dir=...} overrides. Missing data fails the test.
 */
final class TestData {
    private TestData() {}

    static Path dir() {
        Path p = Path.of(System.getProperty("dfl.mnist.dir", "../../shared/data/mnist"));
        assertTrue(Files.exists(p.resolve("train-images-idx3-ubyte.gz")),
                "MNIST data not found at " + p.toAbsolutePath().normalize() + " (expected ../shared beside the project)");
        return p;
    }
}
