package dfl.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import dfl.diag.Diagnostic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 1: MNIST card.dfl with 3 steps ended with pixels of ±1399 and exit 0 without a word. Now every such run
 * says so: TDS collapses (W0005), and samplers that blow up get W0006; card.dfl at its own 100 steps gets neither W0006.
 */
class NeverSilentTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static List<Code> warnings(String sampler, int steps) throws Exception {
        String card = Files.readString(ROOT.resolve("examples/mnist/card.dfl"))
                .replace("\"examples/mnist/", "\"" + ROOT.resolve("examples/mnist") + "/")
                .replaceFirst("with tds\\([^)]*\\)", "with " + sampler); // whatever sampler the card ships with
        assertTrue(card.contains("with " + sampler + ";"), card);
        try (SamplerRun r = Dfl.compile(card, "card.dfl").sampler().optSteps(steps).optSeed(1).build()) {
            return r.run().warnings().stream().map(Diagnostic::code).toList();
        }
    }

    @Test
    void cardWithThreeStepsIsNeverSilent() throws Exception {
        assertFalse(warnings("tds(particles = 16, steps = 100)", 3).isEmpty(), "tds at 3 steps");
        assertTrue(warnings("reverse(particles = 16, steps = 100)", 3).contains(Code.W0006), "reverse at 3 steps blows up");
        assertTrue(warnings("tds(particles = 16, steps = 100, twist_var = none)", 3).contains(Code.W0006), "the over-confident twist");
        // negative control: the card as written stays within the images' range
        assertFalse(warnings("tds(particles = 4, steps = 100)", 100).contains(Code.W0006));
    }
}
