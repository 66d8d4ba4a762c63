package dfl.models.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The training scripts' entry parses with picocli (it was a hand-written loop): mistakes are usage errors, 64. */
class TrainOptionsTest {

    private static int train(StringWriter out, StringWriter err, String... argv) {
        return TrainOptions.standalone(argv, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void mistakesAreUsageErrorsAndHelpWorks() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(64, train(out, err));
        assertEquals(64, train(out, err, "autoencoder"));
        assertEquals(64, train(out, err, "diffusion", "--data", "d"), "--out is required");
        assertEquals(64, train(out, err, "diffusion", "--data", "d", "--out", "o", "--steps", "many"));
        assertTrue(err.toString().contains("'many' is not a long"), err.toString());
        assertEquals(64, train(out, err, "classifier", "--data", "d", "--out", "o", "--steps", "0"));
        assertTrue(err.toString().contains("usage error: --steps, --batch and --lr must be positive"), err.toString());
        assertEquals(64, train(out, err, "diffusion", "--data", "d", "--out", "o", "--eval"), "--eval is the classifier's");
        StringWriter help = new StringWriter();
        assertEquals(0, train(help, err, "classifier", "--help"));
        assertTrue(help.toString().startsWith("Usage: Train classifier") && help.toString().contains("--max-minutes=M"), help.toString());
    }
}
