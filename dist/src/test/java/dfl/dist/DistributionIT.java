package dfl.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distribution as a user gets it (issue 14): dfl-VERSION.tar.gz unpacked into a temporary folder outside the
 * checkout, bin/dfl called through a symbolic link from another folder, with a PATH that holds java and the two tools
 * the launcher uses (readlink, dirname) and no Maven.
 */
class DistributionIT {

    static final String VERSION = System.getProperty("dfl.version");
    static final Path TAR = Path.of(System.getProperty("dfl.dist.tar"));
    static final Path ZIP = Path.of(System.getProperty("dfl.dist.zip"));
    static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();

    static Path tmp;
    static Path home;

    record Outcome(int code, String out, String err) {}

    @BeforeAll
    static void unpack() throws Exception {
        tmp = Files.createTempDirectory("dfl-dist-it");
        assertFalse(tmp.toRealPath().startsWith(CHECKOUT.toRealPath()), "outside the checkout");
        Process tar = new ProcessBuilder("tar", "xzf", TAR.toString(), "-C", tmp.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        home = tmp.resolve("dfl-" + VERSION);
        // a PATH with java, readlink and dirname only: no Maven, no build tools
        Path bin = Files.createDirectories(tmp.resolve("path"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("readlink", "dirname")) Files.createSymbolicLink(bin.resolve(tool), which(tool));
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("dfl"), home.resolve("bin/dfl"));
        Files.createDirectories(tmp.resolve("work"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void theArchivesHoldLaunchersLibrariesAndExamples() throws Exception {
        List<String> zip = new ArrayList<>();
        try (ZipFile z = new ZipFile(ZIP.toFile())) {
            z.stream().filter(e -> !e.isDirectory()).forEach(e -> zip.add(e.getName()));
        }
        Process list = new ProcessBuilder("tar", "tzf", TAR.toString()).start();
        List<String> tar = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.endsWith("/")).toList();
        assertEquals(0, list.waitFor());
        assertEquals(new TreeSet<>(tar), new TreeSet<>(zip), "the zip and the tar.gz hold the same files");
        String root = "dfl-" + VERSION + "/";
        for (String f : List.of("bin/dfl", "bin/dfl.bat", "LICENSE", "README.md", "lib/dfl-cli-" + VERSION + ".jar", "lib/dfl-runtime-" + VERSION + ".jar",
                "examples/toy/posterior2d.dfl", "docs/install.md")) {
            assertTrue(zip.contains(root + f), f);
        }
        assertTrue(zip.stream().anyMatch(f -> f.matches(java.util.regex.Pattern.quote(root) + "lib/pytorch-native-cpu-.*\\.jar")), "libtorch");
        assertTrue(zip.stream().noneMatch(f -> f.contains("maven") || f.endsWith("-sources.jar")), "nothing of the build");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/dfl"))));
        assertTrue(Files.readString(home.resolve("bin/dfl.bat")).contains("\r\n"), "Windows line ends");
    }

    /** Every DFL jar names its module; the BOM lists every DFL library jar of the distribution, at this version. */
    @Test
    void jarsNameTheirModulesAndTheBomFollowsTheBuild() throws Exception {
        List<String> libraries = new ArrayList<>();
        try (Stream<Path> s = Files.list(home.resolve("lib"))) {
            for (Path jar : s.filter(p -> p.getFileName().toString().startsWith("dfl-")).toList()) {
                try (JarFile j = new JarFile(jar.toFile())) {
                    String name = j.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
                    assertNotNull(name, jar.toString());
                    assertTrue(name.matches("dev\\.dfl\\.[a-z]+"), name);
                }
                libraries.add(jar.getFileName().toString().replace("-" + VERSION + ".jar", ""));
            }
        }
        String bom = Files.readString(CHECKOUT.resolve("bom/pom.xml"));
        assertTrue(bom.contains("<artifactId>dfl-bom</artifactId>\n  <version>" + VERSION + "</version>"), "the BOM's version is the build's");
        for (String lib : libraries) assertTrue(bom.contains("<artifactId>" + lib + "</artifactId>"), lib + " in the BOM");
        assertTrue(libraries.size() >= 8, libraries.toString());
    }

    /** dfl run on a toy example from another folder, through the link, with the umask of the shell. */
    @Test
    void runsFromAnyFolderThroughALinkWithoutMaven() throws Exception {
        Path model = home.resolve("examples/toy/posterior2d.dfl");
        Outcome o = dfl("umask 027", "run", model.toString(), "--particles", "64", "--steps", "20", "--seed", "3", "--out", "out");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("tds: 64 samples, 20 steps"), o.out());
        Path out = tmp.resolve("work/out");
        for (String f : List.of("samples.npy", "log_weights.npy", "draws.npy", "summary.json", "trace.csv")) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(f))), f + " follows umask 027");
        }
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"dfl_version\": \"" + VERSION + "\""), summary);
        assertTrue(summary.contains("\"path\": \"" + model.toRealPath() + "\""), summary);
        Outcome s = dfl("", "summary", "out");
        assertEquals(0, s.code(), s.err());
        assertTrue(s.out().contains("x[1]") && s.out().contains("ESS"), s.out());

        // Spark is not part of the distribution: dfl batch says so instead of failing with a missing class
        Outcome batch = dfl("", "batch", model.toString(), "--data", "y=ys.npy", "--out", "b");
        assertEquals(69, batch.code(), batch.err());
        assertTrue(batch.err().startsWith("dfl: dfl batch needs Apache Spark"), batch.err());

        Outcome v = dfl("", "--version");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().startsWith("dfl " + VERSION + "\ncommit "), v.out());
        assertTrue(v.out().contains("libtorch 2.7.1"), v.out());
    }

    /** Runs bin/dfl through the link in work/, after the shell command {@code prelude}, with the minimal PATH. */
    private static Outcome dfl(String prelude, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", (prelude.isEmpty() ? "" : prelude + "; ") + "exec \"$0\" \"$@\"",
                tmp.resolve("links/dfl").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.resolve("work").toFile());
        pb.environment().keySet().removeIf(k -> !k.equals("HOME"));
        pb.environment().put("PATH", tmp.resolve("path").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static Path which(String tool) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "command -v " + tool).start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), tool);
        return Path.of(path);
    }
}
