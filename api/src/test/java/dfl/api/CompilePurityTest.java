package dfl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiling untrusted source must not touch files: data is read by the run only, and a data root
 * confines what the run may read.
 */
class CompilePurityTest {

    private static String loading(String path) {
        return "prior = diffusion(gmm(means = [[0, 0]], std = 1));\n"
                + "y = load(\"" + path + "\");\n"
                + "observe y ~ Normal(x, 0.5);\n"
                + "sample x with tds(particles = 4, steps = 3);\n";
    }

    @Test
    void aProgramThatLoadsEtcPasswdCompilesWithoutReadingAndTheDataRootDeniesTheRun(@TempDir Path root) {
        DflModel m = Dfl.compile(loading("/etc/passwd.csv"), "evil.dfl");
        assertTrue(m.planText().contains("load(\"/etc/passwd.csv\")"), m.planText());
        try (SamplerRun r = m.sampler().optParticles(4).optDataRoot(root).build()) {
            DflRunException e = assertThrows(DflRunException.class, r::run);
            assertEquals(Code.E0306, e.code(), e.getMessage());
        }
        // relative paths that climb out of the root are denied too
        DflModel climb = Dfl.compile(loading("../../etc/passwd.csv"), "evil.dfl");
        try (SamplerRun r = climb.sampler().optParticles(4).optDataRoot(root).build()) {
            assertEquals(Code.E0306, assertThrows(DflRunException.class, r::run).code());
        }
    }

    @Test
    void compilingNeverOpensTheNamedFile(@TempDir Path dir) throws Exception {
        // A FIFO blocks whoever opens it for reading until a writer appears: had the compiler opened
        // the file, compile would hang here instead of returning.
        Path fifo = dir.resolve("y.csv");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        assertTrue(Files.exists(fifo));
        DflModel m = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Dfl.compile(loading(fifo.toString()), "fifo.dfl"));
        assertTrue(m.planText().contains(fifo.toString()));
        // a file that does not exist compiles too: nothing is looked at before the run
        DflModel missing = Dfl.compile(loading(dir.resolve("missing.csv").toString()), "missing.dfl");
        try (SamplerRun r = missing.sampler().optParticles(4).build()) {
            assertEquals(Code.E0301, assertThrows(DflRunException.class, r::run).code());
        }
    }

    @Test
    void theDataRootAllowsFilesInside(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("y.csv"), "0.1,0.2\n");
        DflModel m = Dfl.compile(loading(root.resolve("y.csv").toString()), "ok.dfl");
        try (SamplerRun r = m.sampler().optParticles(4).optDataRoot(root).build()) {
            assertEquals(4, r.run().size());
        }
    }
}
