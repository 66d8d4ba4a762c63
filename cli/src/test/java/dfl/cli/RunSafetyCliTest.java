package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 through the CLI: a run too large for memory is E0309 with the numbers (not an OutOfMemoryError stack trace),
 * {@code --out ""} is a usage error (it wrote into the working folder), a NUL byte in a file name is a located
 * diagnostic (it was exit 70), and an unreadable model file says why.
 */
class RunSafetyCliTest {

    private static final String POSTERIOR2D = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
            + "A = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\nsample x with tds(particles = 64, steps = 10);\n";

    @Test
    void aRunThatCannotFitIsRefusedWithTheNumbers(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), POSTERIOR2D);
        long t0 = System.nanoTime();
        CliTest.Outcome o = CliTest.dfl(dir, "run", "m.dfl", "--particles", "2000000000", "--out", "o");
        assertEquals(ExitCodes.MODEL_ERROR, o.code(), o.err());
        assertTrue(o.err().contains("DFL-E0309") && o.err().contains("2,000,000,000 particles") && o.err().contains("use at most"), o.err());
        assertFalse(o.err().contains("Exception") || o.err().contains("bug in DFL"), o.err());
        assertTrue((System.nanoTime() - t0) * 1e-9 < 30, "refused before sampling");
        assertFalse(Files.exists(dir.resolve("o")));
    }

    /** The reproducer: --particles 100000000 in a JVM of 128 MB heap was an OutOfMemoryError with a stack trace. */
    @Test
    void aHundredMillionParticlesAtASmallHeapIsADiagnostic(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), POSTERIOR2D);
        Process p = CliProcess.start(dir, java.util.List.of("-Xmx128m"), "run", "m.dfl", "--particles", "100000000", "--out", "o");
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(ExitCodes.MODEL_ERROR, p.exitValue(), err);
        assertTrue(err.contains("DFL-E0309") && err.contains("at most 128 MB") && err.contains("use at most"), err);
        assertFalse(err.contains("OutOfMemoryError") || err.contains("\tat ") || err.contains("bug in DFL"), err);
    }

    @Test
    void anEmptyOutputFolderIsAUsageError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), POSTERIOR2D);
        CliTest.Outcome o = CliTest.dfl(dir, "run", "m.dfl", "--out", "");
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--out needs a folder name"), o.err());
        assertFalse(Files.exists(dir.resolve("summary.json")));
    }

    @Test
    void aNulByteInAFileNameIsADiagnostic(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("m.dfl"), "prior = diffusion(gmm(means = [[0, 0]], std = 1));\ny = load(\"a\0b.csv\");\n"
                + "observe y ~ Normal(x, 1);\nsample x;\n");
        CliTest.Outcome o = CliTest.dfl(dir, "run", "m.dfl", "--out", "o");
        assertEquals(ExitCodes.MODEL_ERROR, o.code(), o.err());
        assertTrue(o.err().contains("DFL-E0113") && o.err().contains("NUL character"), o.err());
    }

    @Test
    void anUnreadableModelSaysWhy(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("d.dfl"));
        Files.writeString(dir.resolve("f"), "x");
        CliTest.Outcome o = CliTest.dfl(dir, "run", "f/m.dfl");
        assertTrue(o.err().contains("cannot read 'f/m.dfl': Not a directory"), o.err());
        // a permission problem (not testable as root) said only the file's name: "cannot read 'f': f"
        assertEquals("permission denied", dfl.stdlib.runtime.DataFiles.why(new java.nio.file.AccessDeniedException("f")));
        assertEquals("no such file", dfl.stdlib.runtime.DataFiles.why(new java.nio.file.NoSuchFileException("f")));
    }
}
