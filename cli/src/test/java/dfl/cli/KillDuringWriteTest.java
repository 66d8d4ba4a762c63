package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.output.OutputFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the kill test: {@code dfl run} killed with SIGKILL while it writes its output folder leaves the previous
 * result or the new one, never a mixture. The two points inside {@link OutputFolder#replace} where a kill matters are hit
 * deterministically (the test hook {@code -Ddfl.output.pause} stops the run there, and the test kills it), and a few
 * kills at random times cover the rest.
 */
class KillDuringWriteTest {

    private static final String MODEL = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
            + "A = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\nsample x with tds(particles = 64, steps = 10);\n";

    @TempDir
    Path dir;

    private Process start(long seed, String pause) throws Exception {
        return CliProcess.start(dir, pause == null ? List.of() : List.of("-Ddfl.output.pause=" + pause), "run", "m.dfl",
                "--seed", Long.toString(seed), "--out", "out", "--quiet", "--no-warnings");
    }

    private byte[] complete(long seed) throws Exception {
        Process p = start(seed, null);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run of seed " + seed + " did not finish");
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return Files.readAllBytes(dir.resolve("out/samples.npy"));
    }

    /** Runs seed 2 until it reports {@code point}, then kills it with SIGKILL. */
    private void killAt(String point) throws Exception {
        Process p = start(2, point);
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        boolean reached = false;
        while ((line = err.readLine()) != null) {
            if (line.equals("dfl.output.pause: " + point)) {
                reached = true;
                break;
            }
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(reached, "the run never reached " + point);
    }

    /** The folder, after the next run's recovery, holds exactly one of the two results: samples and summary agree. */
    private long holdsOneResult(byte[] seed1, byte[] seed2) throws Exception {
        OutputFolder.recover(dir.resolve("out"));
        byte[] samples = Files.readAllBytes(dir.resolve("out/samples.npy"));
        String summary = Files.readString(dir.resolve("out/summary.json"));
        long seed = summary.contains("\"seed\": 1,") ? 1 : summary.contains("\"seed\": 2,") ? 2 : -1;
        assertTrue(seed > 0, summary);
        assertTrue(Arrays.equals(samples, seed == 1 ? seed1 : seed2), "samples.npy is not seed " + seed + "'s, as summary.json says");
        return seed;
    }

    @Test
    void aKillDuringTheWriteLeavesTheOldResultOrTheNew() throws Exception {
        Files.writeString(dir.resolve("m.dfl"), MODEL);
        byte[] seed2 = complete(2);
        byte[] seed1 = complete(1);
        assertFalse(Arrays.equals(seed1, seed2));
        // every file of the new result written, not yet renamed into place
        killAt("staged");
        assertEquals(1, holdsOneResult(seed1, seed2));
        // between the two renames: the old result is aside, the new one not yet in place
        killAt("swapping");
        assertFalse(Files.exists(dir.resolve("out")), "the kill fell between the renames");
        assertEquals(1, holdsOneResult(seed1, seed2), "recovery puts the old result back");
        // kills at random moments of whole runs
        java.util.Random rnd = new java.util.Random(15);
        for (int i = 0; i < 3; i++) {
            Process p = start(i % 2 == 0 ? 2 : 1, null);
            boolean done = p.waitFor(300 + rnd.nextInt(3000), TimeUnit.MILLISECONDS);
            if (!done) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            holdsOneResult(seed1, seed2);
        }
    }
}
