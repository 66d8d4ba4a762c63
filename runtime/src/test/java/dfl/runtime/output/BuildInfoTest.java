package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build's own record: version from the pom, the commit from git, or from a git archive, or unknown. */
class BuildInfoTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void versionComesFromThePom() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        String version = pom.replaceFirst("(?s).*?<artifactId>dfl-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        assertEquals(version, BuildInfo.version());
        assertEquals(version, RunOutputs.DFL_VERSION);
    }

    /** Built in a git work tree: the commit is that of HEAD (the build and this test see the same HEAD). */
    @Test
    void commitIsGitsHead() throws Exception {
        assertTrue(Files.exists(ROOT.resolve(".git")), "the tests run in a git work tree; the commit fallback is tested below");
        Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(ROOT.toFile()).start();
        String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        assertTrue(BuildInfo.commit().startsWith(head), BuildInfo.commit() + " vs HEAD " + head);
    }

    /** Git's value wins; a source archive made by 'git archive' has the hash in archive-commit.txt; else unknown. */
    @Test
    void commitFallsBackToTheArchiveThenUnknown() {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        assertEquals(sha + "-dirty", BuildInfo.commit(sha, "true", "$Format:%H$"));
        assertEquals(sha, BuildInfo.commit(sha, "false", "fedcba9876543210fedcba9876543210fedcba98"));
        assertEquals(sha, BuildInfo.commit("unknown", "unknown", sha));
        assertEquals("unknown", BuildInfo.commit("unknown", "unknown", "$Format:%H$"));
        assertEquals("unknown", BuildInfo.commit("", "false", ""));
    }

    @Test
    void libtorchVersionIsTheBuildsAndTheBundledOne() throws Exception {
        String pom = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
        String pytorch = pom.replaceFirst("(?s).*<pytorch.version>([^<]+)</pytorch.version>.*", "$1");
        assertEquals(pytorch, BuildInfo.libtorchVersion());
        assertEquals(pytorch, dfl.runtime.LibTorch.version());
    }
}
