package dfl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2: {@code optDataRoot} holds against symbolic links (to a file or a folder outside the root) and
 * never opens what is not a regular file (a FIFO would block the run forever). Each escape is refused with a
 * diagnostic naming the file; a normal file inside the root still loads.
 */
class DataRootEscapeTest {

    @TempDir
    Path root;
    @TempDir
    Path outside;

    private static String loading(String path) {
        return "prior = diffusion(gmm(means = [[0, 0]], std = 1));\n"
                + "y = load(\"" + path + "\");\n"
                + "observe y ~ Normal(x, 0.5);\n"
                + "sample x with tds(particles = 4, steps = 3);\n";
    }

    private DflRunException refused(String path) {
        DflModel m = Dfl.compile(loading(path), "evil.dfl");
        try (SamplerRun r = m.sampler().setParticles(4).optDataRoot(root).build()) {
            return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(DflRunException.class, r::run));
        }
    }

    private Path secret() throws Exception {
        return Files.writeString(outside.resolve("secret.csv"), "7,7\n");
    }

    @Test
    void aLinkToAFileOutsideIsDenied() throws Exception {
        Files.createSymbolicLink(root.resolve("link.csv"), secret());
        for (String p : new String[] {root.resolve("link.csv").toString(), "link.csv"}) {
            DflRunException e = refused(p);
            assertEquals(Code.E0306, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("link.csv") && e.getMessage().contains("symbolic link"), e.getMessage());
        }
    }

    @Test
    void aLinkedFolderOutsideIsDenied() throws Exception {
        secret();
        Files.createSymbolicLink(root.resolve("d"), outside);
        DflRunException e = refused(root.resolve("d/secret.csv").toString());
        assertEquals(Code.E0306, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("d/secret.csv"), e.getMessage());
    }

    @Test
    void aLinkInsideTheRootIsFollowed() throws Exception {
        Path target = Files.writeString(root.resolve("y.csv"), "0.1,0.2\n");
        Files.createSymbolicLink(root.resolve("alias.csv"), target);
        DflModel m = Dfl.compile(loading(root.resolve("alias.csv").toString()), "ok.dfl");
        try (SamplerRun r = m.sampler().setParticles(4).optDataRoot(root).build()) {
            assertEquals(4, r.run().size());
        }
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = root.resolve("fifo.csv");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "this OS cannot make a FIFO");
        DflRunException e = refused(fifo.toString());
        assertEquals(Code.E0301, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("fifo.csv") && e.getMessage().contains("not a regular file"), e.getMessage());
        // the same without a data root, and through bind(name, Path)
        DflModel m = Dfl.compile(loading(fifo.toString()), "fifo.dfl");
        try (SamplerRun r = m.sampler().setParticles(4).build()) {
            assertEquals(Code.E0301, assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(DflRunException.class, r::run)).code());
        }
        assertEquals(Code.E0301, assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(DflRunException.class, () -> m.bind("y", fifo))).code());
    }

    @Test
    void aFolderIsNotAFile() throws Exception {
        Files.createDirectory(root.resolve("dir.csv"));
        DflRunException e = refused(root.resolve("dir.csv").toString());
        assertEquals(Code.E0301, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("a folder"), e.getMessage());
    }
}
