package dfl.examples.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.api.Result;
import dfl.runtime.exact.PlanReference;
import dfl.stdlib.runtime.StdlibProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the embedding example the way docs/embedding.md shows it. */
class EmbedPosterior2dTest {

    /** Maven runs tests in the module folder; the model lives in examples/toy. */
    static final Path MODEL = Path.of("toy/posterior2d.dfl");

    @Test
    void mainPrintsTheSummaryAndWritesTheOutputs(@TempDir Path dir) throws Exception {
        PrintStream before = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            EmbedPosterior2d.main(new String[] {MODEL.toString(), "-1.5", dir.toString()});
        } finally {
            System.setOut(before);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("tds: 512 samples, 50 steps"), out);
        assertTrue(out.contains("posterior mean of x: ["), out);
        assertTrue(out.contains("log p(y = -1.50) ≈ "), out);
        assertTrue(Files.exists(dir.resolve("samples.npy")));
    }

    /**
     * The y bound from Java is the one sampled: x[0]'s posterior mean must be within 0.4 of the exact one for
     * y = -1.5 (about 4 seed-to-seed standard deviations at 512 particles and 50 steps), while the exact mean for
     * the file's own y = 1.2 is more than 2.5 away.
     */
    @Test
    void theBoundObservationIsTheOneConditionedOn() throws Exception {
        Result r = EmbedPosterior2d.sample(MODEL, -1.5, 3);
        String literal = Files.readString(MODEL).replace("y = [1.2];", "y = [-1.5];");
        double[] exact = PlanReference.of(dfl.api.Dfl.compile(literal, "literal.dfl").plan(), StdlibProvider.builder().build())
                .posterior().mean();
        double[] fileY = PlanReference.of(dfl.api.Dfl.compile(MODEL).plan(), StdlibProvider.builder().build()).posterior().mean();
        assertTrue(Math.abs(exact[0] - fileY[0]) > 2.5);
        assertEquals(exact[0], r.mean()[0], 0.4);
    }
}
