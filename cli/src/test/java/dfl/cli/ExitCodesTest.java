package dfl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every exit code: the table in docs/cli.md lists exactly the codes of {@link ExitCodes}, and each is produced by what
 * the table says (issue 14: "every exit code documented and tested"). 69 and 130 need a JVM of their own: one that
 * believes it runs on a platform without libtorch, and one that receives SIGINT.
 */
class ExitCodesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final String MODEL = "prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));\n"
            + "y = [1.2];\nobserve y ~ Normal([[1.0, 0.5]] @ x, 0.3);\nsample x with tds(particles = 8, steps = 5);\n";

    @Test
    void theDocumentedTableIsExactlyTheCodes() throws Exception {
        Map<Integer, String> documented = documented();
        TreeSet<Integer> constants = new TreeSet<>();
        for (Field f : ExitCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) constants.add(f.getInt(null));
        }
        assertEquals(constants, documented.keySet());
        assertEquals(documented.keySet(), new TreeSet<>(eachCode(Files.createTempDirectory("dfl-exit")).keySet()),
                "every documented code is produced below");
    }

    /** The code each case gives, checked against the table's meaning one by one. */
    private static Map<Integer, String> eachCode(Path dir) throws Exception {
        Map<Integer, String> seen = new TreeMap<>();
        Files.writeString(dir.resolve("m.dfl"), MODEL);
        Files.writeString(dir.resolve("bad.dfl"), "prior = diffusion(\"mnist\");\nsample x with tds(particle = 16);\n");
        Files.writeString(dir.resolve("ugly.dfl"), "prior=diffusion(\"mnist\");\nsample x;\n");
        Files.writeString(dir.resolve("a-file"), "not a folder");

        expect(seen, 0, CliTest.dfl(dir, "check", "m.dfl"));
        expect(seen, 0, CliTest.dfl(dir, "--version"));
        expect(seen, 1, CliTest.dfl(dir, "fmt", "--check", "ugly.dfl"));
        expect(seen, 3, CliTest.dfl(dir, "train", "classifier", "--data", tinyMnist(dir.resolve("mnist")).toString(), "--out",
                dir.resolve("models").toString(), "--ckpt", dir.resolve("ckpt").toString(), "--steps", "3", "--batch", "4",
                "--max-minutes", "0.000001"));
        expect(seen, 64, CliTest.dfl(dir, "run", "m.dfl", "--no-such-option"));
        expect(seen, 64, CliTest.dfl(dir, "check", "missing.dfl"));
        expect(seen, 65, CliTest.dfl(dir, "check", "bad.dfl"));
        expect(seen, 74, CliTest.dfl(dir, "run", "m.dfl", "--quiet", "--out", "a-file"));
        expect(seen, 70, internalError());
        expect(seen, 69, ownJvm(dir, List.of("-Dos.arch=riscv64"), "run", "m.dfl", "--quiet", "--out", "o69"));
        expect(seen, 130, interrupted(dir));
        return seen;
    }

    private static void expect(Map<Integer, String> seen, int code, CliTest.Outcome o) {
        assertEquals(code, o.code(), "stdout: " + o.out() + "\nstderr: " + o.err());
        switch (code) {
            case 1 -> assertEquals("ugly.dfl\n", o.out());
            case 3 -> assertTrue(o.out().contains("PAUSED step"), o.out());
            case 65 -> assertTrue(o.err().startsWith("Error[DFL-E0105]"), o.err());
            case 69 -> assertTrue(o.err().contains("Error[DFL-E0320]") && o.err().contains("(linux-riscv64)") && !o.err().contains("bug"), o.err());
            case 70 -> assertTrue(o.err().contains("internal error") && !o.err().contains("\tat "), o.err());
            case 74 -> assertTrue(o.err().contains("cannot write the outputs"), o.err());
            case 130 -> assertTrue(o.err().contains("dfl: cancelled; nothing was written"), o.err());
            default -> { }
        }
        if (code != 70) assertFalse(o.err().contains("Exception"), o.err());
        seen.put(code, o.err());
    }

    /** An exception that escapes a command: exit 70 and a message, no stack trace (DFL_DEBUG is not set). */
    private static CliTest.Outcome internalError() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new CommandLine(new Boom()));
        int code = Main.configure(cl, new PrintWriter(out, true), new PrintWriter(err, true)).execute("boom");
        return new CliTest.Outcome(code, out.toString(), err.toString());
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("a bug");
        }
    }

    /**
     * Ctrl-C during a long run: SIGINT to a JVM of its own once it is sampling; nothing is written. The run makes the
     * output's parent folder just before it starts sampling (and installs its Ctrl-C handler), which tells the test when.
     */
    private static CliTest.Outcome interrupted(Path dir) throws Exception {
        Files.writeString(dir.resolve("long.dfl"), MODEL.replace("tds(particles = 8, steps = 5)", "tds(particles = 20000, steps = 1000)"));
        Process p = start(dir, List.of(), "run", "long.dfl", "--quiet", "--out", "o130/run");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.isDirectory(dir.resolve("o130")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
        Thread.sleep(1500); // libtorch loads and the first steps run
        assertTrue(p.isAlive(), "the run must still be going");
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped after Ctrl-C");
        assertFalse(Files.exists(dir.resolve("o130/run")), "nothing written");
        return new CliTest.Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt")));
    }

    private static CliTest.Outcome ownJvm(Path dir, List<String> jvm, String... args) throws Exception {
        Process p = start(dir, jvm, args);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new CliTest.Outcome(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt")));
    }

    /** The CLI in a new JVM with this test's class path, in {@code dir}; stderr goes to stderr.txt. */
    private static Process start(Path dir, List<String> jvm, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss8m",
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvm);
        cmd.add("dfl.cli.Main");
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    /** The rows of the exit-code table in docs/cli.md, by code. */
    static Map<Integer, String> documented() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/cli.md"), StandardCharsets.UTF_8);
        String table = doc.substring(doc.indexOf("## Exit codes"));
        Map<Integer, String> rows = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\| (.+) \\|$").matcher(table);
        while (m.find()) rows.put(Integer.parseInt(m.group(1)), m.group(2));
        return rows;
    }

    /** MNIST's four IDX files with 8 made-up digits each: enough for a training step. */
    static Path tinyMnist(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String split : List.of("train", "test")) {
            byte[] pixels = new byte[8 * 784];
            for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) ((i * 37) % 256);
            write(dir.resolve(split + "-images-idx3-ubyte.gz"), 0x803, new int[] {8, 28, 28}, pixels);
            write(dir.resolve(split + "-labels-idx1-ubyte.gz"), 0x801, new int[] {8}, new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
        }
        return dir;
    }

    private static void write(Path file, int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeInt(magic);
            for (int d : dims) out.writeInt(d);
            out.write(data);
        }
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file))) {
            gz.write(b.toByteArray());
        }
    }
}
