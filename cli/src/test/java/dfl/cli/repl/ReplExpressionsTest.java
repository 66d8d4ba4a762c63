package dfl.cli.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.output.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expressions at the prompt, :help NAME, :save, :show of the latent after a run, and data bound to a session (issue 14). */
class ReplExpressionsTest {

    static final String MODEL = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
            + "A = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\nsample x with tds(particles = 64, steps = 10);\n";

    @Test
    void anExpressionPrintsItsValueKindAndShape(@TempDir Path dir) throws Exception {
        Npy.writeFloat64(dir.resolve("d.npy"), new long[] {2, 2}, new double[] {1, 2, 3, 4});
        ReplHarness.Transcript t = ReplHarness.run(dir, MODEL + "A\nA @ [2, 1];\n[[1, 2], [3, 4]] @ [1, 1]\nload(\"d.npy\", shape = [2, 2]) * 2\n"
                + "A @ x\n3 * 4\nA @ [1, 2, 3]\nundefined + 1\n:list\n");
        assertEquals("A: a tensor [1, 2]\n  value: [[1, 0.5]]\n  defined by: A = [[1.0, 0.5]];\n"
                + "A @ [2, 1]: a tensor [1]\n  value: [2.5]\n"
                + "[[1, 2], [3, 4]] @ [1, 1]: a tensor [2]\n  value: [3, 7]\n"
                + "load(\"d.npy\", shape = [2, 2]) * 2: a tensor [2, 2]\n  value: [[2, 4], [6, 8]]\n"
                + "A @ x: a tensor [1]\n  value: ([[1, 0.5]] @ x)  (depends on the latent)\n"
                + "3 * 4: a number\n  value: 12\n"
                + MODEL, t.out(), "the session is unchanged by expressions");
        assertTrue(t.err().contains("Error[DFL-E01") && t.err().contains("in 'input', line 1, column 1 to column 13:\n   1 | A @ [1, 2, 3]"), t.err());
        assertTrue(t.err().contains("in 'input', line 1, column 1 to column 9:\n   1 | undefined + 1\n     | ^^^^^^^^^\n'undefined' is not defined."), t.err());
        assertEquals(65, t.exit());
    }

    @Test
    void helpDocumentsABuiltinFromItsDeclaration(@TempDir Path dir) {
        ReplHarness.Transcript t = ReplHarness.run(dir, ":help gmm\n:help :save\n:help nosuch\n");
        assertTrue(t.out().startsWith("gmm(weights?, means, std?, covs?)\n  A Gaussian mixture"), t.out());
        assertTrue(t.out().contains("  means      a [k, d] matrix\n"), t.out());
        assertTrue(t.out().contains(":save FILE  write the session's program to a .dfl file\n"), t.out());
        assertTrue(t.err().contains("no built-in function or command is named 'nosuch'"), t.err());
    }

    @Test
    void saveWritesWhatLoadReadsBack(@TempDir Path dir) throws Exception {
        ReplHarness.Transcript t = ReplHarness.run(dir, MODEL + ":save m/saved.dfl\n:reset\n:load m/saved.dfl\n:list\n");
        assertEquals(0, t.exit(), t.err());
        assertEquals(MODEL, Files.readString(dir.resolve("m/saved.dfl")));
        assertTrue(t.out().endsWith("loaded m/saved.dfl\n" + MODEL), t.out());
    }

    /** After :run, :show x (or typing x) summarises the samples: the first row's mean is the run's posterior mean. */
    @Test
    void showTheLatentAfterARunSummarisesItsSamples(@TempDir Path dir) throws Exception {
        ReplHarness.Transcript before = ReplHarness.run(dir, MODEL + ":show x\n");
        assertTrue(!before.out().contains("samples of the last :run"), before.out());
        ReplHarness.Transcript t = ReplHarness.run(dir, MODEL + ":run --seed 3 --out o\n:show x\nx\n");
        assertEquals(0, t.exit(), t.err());
        String line = t.out().lines().filter(l -> l.startsWith("tds: ")).findFirst().orElseThrow();
        String mean = line.replaceFirst(".*mean \\[([-0-9.]+), .*", "$1");
        String row = t.out().lines().filter(l -> l.startsWith("  x[1]")).findFirst().orElseThrow();
        assertEquals(Double.parseDouble(mean), Double.parseDouble(row.trim().split("\\s+")[1]), 0.0015, row + " vs " + line);
        assertEquals(2, t.out().split("samples of the last :run: tds, 64 samples").length - 1, "typing x shows the same");
    }

    @Test
    void dataFilesBindAtEveryRun(@TempDir Path dir) throws Exception {
        Npy.writeFloat64(dir.resolve("y.npy"), new long[] {1}, new double[] {0.5});
        ReplHarness.Transcript t = ReplHarness.run(dir, MODEL + ":run --seed 1 --out a --data y=y.npy\ny = [0.5];\n:run --seed 1 --out b\n");
        assertEquals(0, t.exit(), t.err());
        assertEquals(-1, Files.mismatch(dir.resolve("a/samples.npy"), dir.resolve("b/samples.npy")), "the file's 0.5 is the literal 0.5");
        ReplHarness.Transcript bad = ReplHarness.run(dir, MODEL + ":run --data z=y.npy\n");
        assertTrue(bad.err().contains("[DFL-E0321]"), bad.err());
    }
}
