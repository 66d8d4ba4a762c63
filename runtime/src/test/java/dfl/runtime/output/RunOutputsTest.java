package dfl.runtime.output;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.model.RuntimeProvider;
import dfl.source.Span;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepStats;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputsTest {

    @TempDir
    Path dir;

    private static RunResult result(Shape shape, int n, double logZ) {
        int d = (int) shape.size();
        float[][] s = new float[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) s[i][j] = (float) (i - 0.01 * j);
        double[] lw = new double[n];
        for (int i = 0; i < n; i++) lw[i] = -Math.log(n);
        List<StepStats> st = List.of(new StepStats(2, 999, n, false, n, n * 0.9, 0.3, -0.5, 0.01),
                new StepStats(1, 0, n * 0.9, true, n - 1, n, 1.0 / n, -0.25, 0.01));
        return new RunResult("tds", 42, 2, shape, s, lw, logZ, st, 1.5, 2, 0.75);
    }

    @Test
    void npyFilesAreValidVersion1WithAlignedHeaders() throws Exception {
        RunResult r = result(Shape.of(3, 2), 4, -1.25);
        RunOutputs.writeAll(dir, null, r);
        byte[] b = Files.readAllBytes(dir.resolve("samples.npy"));
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + hlen) % 64, "data starts on a 64-byte boundary");
        String header = new String(b, 10, hlen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 3, 2), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + hlen + 4 * 24, b.length);
        ByteBuffer data = ByteBuffer.wrap(b, 10 + hlen, 4 * 24).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0f, data.getFloat());
        assertEquals(-0.01f, data.getFloat());

        byte[] w = Files.readAllBytes(dir.resolve("log_weights.npy"));
        int wlen = (w[8] & 0xff) | (w[9] & 0xff) << 8;
        assertTrue(new String(w, 10, wlen, StandardCharsets.US_ASCII).contains("'descr': '<f8'")
                && new String(w, 10, wlen, StandardCharsets.US_ASCII).contains("'shape': (4,)"));
        assertEquals(-Math.log(4), ByteBuffer.wrap(w, 10 + wlen, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble(), 0);
    }

    @Test
    void summaryHasEveryKeyAndNullsWhereNotApplicable() throws Exception {
        RunOutputs.writeAll(dir, null, result(Shape.of(2), 3, -1.25));
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
        for (String key : List.of("sampler", "seed", "particles", "steps", "log_evidence", "ess", "max_weight", "acceptance",
                "seconds", "network_calls", "network_seconds", "dfl_version")) {
            assertTrue(o.has(key), key);
        }
        assertEquals(-1.25, o.get("log_evidence").getAsDouble());
        assertTrue(o.get("acceptance").isJsonNull());
        assertEquals(2, o.getAsJsonArray("ess").size());
        RunOutputs.writeAll(dir, null, result(Shape.of(2), 3, Double.NaN));
        o = JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
        assertTrue(o.get("log_evidence").isJsonNull());
        assertFalse(Files.exists(dir.resolve("samples.png")), "no grid for a non-image latent");
    }

    @Test
    void traceHasCommentHeaderAndOneRowPerStep() throws Exception {
        RunOutputs.writeAll(dir, null, result(Shape.of(2), 3, -1.0));
        List<String> lines = Files.readAllLines(dir.resolve("trace.csv"));
        assertTrue(lines.get(0).startsWith("#"));
        assertTrue(lines.stream().anyMatch(l -> l.equals("# seed = 42")));
        int headerRow = (int) lines.stream().takeWhile(l -> l.startsWith("#")).count();
        assertTrue(lines.get(headerRow).startsWith("step,"));
        assertEquals(2, lines.size() - headerRow - 1);
        assertTrue(lines.get(headerRow + 2).startsWith("1,0,"));
    }

    @Test
    void imageLatentsGetAGridAndNoTemporaryFilesRemain() throws Exception {
        RunOutputs.writeAll(dir, null, result(Shape.of(1, 4, 5), 5, -1.0));
        BufferedImage img = ImageIO.read(dir.resolve("samples.png").toFile());
        // 5 samples -> 3 columns x 2 rows of 5x4 tiles with 1-pixel gaps, enlarged 84 / 5 = 16 times
        assertEquals((3 * 6 + 1) * 16, img.getWidth());
        assertEquals((2 * 5 + 1) * 16, img.getHeight());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void failedWriteLeavesTheOldFileIntact() throws Exception {
        Path f = dir.resolve("x.txt");
        AtomicFiles.writeString(f, "old");
        assertThrows(java.io.IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new java.io.IOException("interrupted");
        }));
        assertEquals("old", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "the temporary file is removed");
        }
    }

    @Test
    void maskedObservationIsDrawnBesideTheSamplesWithItsHiddenPixelsMarked() throws Exception {
        Shape shape = Shape.of(1, 4, 5);
        List<Double> y = new java.util.ArrayList<>(), mask = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            y.add(i % 2 == 0 ? 1.0 : -1.0);
            mask.add(i < 10 ? 1.0 : 0.0); // the top two rows are observed
        }
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MUL, new TensorExpr.Const(mask, shape),
                new TensorExpr.Latent(shape), shape);
        SamplerPlan plan = new SamplerPlan("t", new SamplerPlan.Latent("x", shape, Span.NONE), null, null,
                List.of(new SamplerPlan.Likelihood(new TensorExpr.Const(y, shape), mean, 0.1, Span.NONE)), null, "", Optional.empty());
        List<ObservationPanel> panels = ObservationPanel.of(plan, RuntimeProvider.NONE);
        assertEquals(1, panels.size());
        for (int i = 0; i < 20; i++) assertEquals(i < 10, panels.get(0).observed()[i], "pixel " + i);

        RunOutputs.writeAll(dir, plan, result(shape, 5, -1.0), RuntimeProvider.NONE);
        BufferedImage img = ImageIO.read(dir.resolve("samples.png").toFile());
        int f = 16, left = 5 + 1 + 2;
        assertEquals((left + 3 * 6 + 1) * f, img.getWidth());
        assertEquals(0xffffff, img.getRGB((1 + 0) * f, (1 + 0) * f) & 0xffffff, "observed white pixel");
        assertEquals(0x000000, img.getRGB((1 + 1) * f, (1 + 0) * f) & 0xffffff, "observed black pixel");
        int hidden = img.getRGB((1 + 0) * f, (1 + 3) * f) & 0xffffff;
        assertNotEquals(0xffffff, hidden);
        assertNotEquals(0x000000, hidden);
        assertTrue((hidden & 0xff) > ((hidden >> 16) & 0xff), "hidden pixels are drawn blue");
    }

    @Test
    void observationOfANonMaskOperatorShowsEveryPixelAsObserved() {
        Shape shape = Shape.of(4, 4);
        List<Double> y = java.util.Collections.nCopies(16, 0.5);
        TensorExpr mean = new TensorExpr.Binary(TensorExpr.Op.MUL, TensorExpr.Const.scalar(2.0),
                new TensorExpr.Latent(shape), shape);
        SamplerPlan plan = new SamplerPlan("t", new SamplerPlan.Latent("x", shape, Span.NONE), null, null,
                List.of(new SamplerPlan.Likelihood(new TensorExpr.Const(y, shape), mean, 0.1, Span.NONE)), null, "", Optional.empty());
        ObservationPanel p = ObservationPanel.of(plan, RuntimeProvider.NONE).get(0);
        for (boolean o : p.observed()) assertTrue(o);
        assertEquals(0.5f, p.values()[3]);
    }

    /**
     * Files and the folder get the permissions the umask gives new files (they were 0600 and 0700 whatever the umask):
     * compared with a file and a folder made the ordinary way beside them.
     */
    @Test
    void outputsFollowTheUmask() throws Exception {
        Path out = dir.resolve("run");
        List<Path> written = RunOutputs.writeAll(out, null, result(Shape.of(2), 3, -1.0));
        var fileMode = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe.txt")));
        var dirMode = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("probe")));
        assertEquals(dirMode, Files.getPosixFilePermissions(out));
        for (Path p : written) assertEquals(fileMode, Files.getPosixFilePermissions(p), p.toString());
        assertTrue(written.contains(out.resolve("draws.npy")), written.toString());
    }

    /** The run record: command line, overrides, program and inputs with SHA-256, time and threads, as JSON and '# key = value'. */
    @Test
    void theRunRecordIsWrittenToSummaryAndTrace() throws Exception {
        RunRecord record = new RunRecord(List.of("dfl", "run", "m.dfl", "--set", "γ=2"), java.util.Map.of("γ", 2.0), 16, 0, "/models/m.dfl",
                RunRecord.sha256("abc".getBytes(StandardCharsets.UTF_8)),
                List.of(new RunRecord.Input("data", "y.npy", "/data/y.npy", "00ff")), java.time.Instant.parse("2026-01-02T03:04:05Z"),
                new RunRecord.Threads(2, 1, 1));
        RunOutputs.writeAll(dir, null, result(Shape.of(2), 3, -1.0), RuntimeProvider.NONE, record);
        JsonObject o = JsonParser.parseString(Files.readString(dir.resolve("summary.json"))).getAsJsonObject();
        assertEquals("[\"dfl\",\"run\",\"m.dfl\",\"--set\",\"γ=2\"]", o.get("command_line").toString());
        assertEquals("{\"set\":{\"γ\":2.0},\"particles\":16}", o.get("overrides").toString());
        // SHA-256("abc"), the FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", o.getAsJsonObject("program").get("sha256").getAsString());
        assertEquals("/data/y.npy", o.getAsJsonArray("inputs").get(0).getAsJsonObject().get("location").getAsString());
        assertEquals("2026-01-02T03:04:05Z", o.get("timestamp").getAsString());
        assertEquals(2, o.getAsJsonObject("threads").get("libtorch_intra_op").getAsInt());
        assertEquals(BuildInfo.commit(), o.get("dfl_commit").getAsString());
        assertEquals(dfl.runtime.LibTorch.version(), o.get("libtorch_version").getAsString());
        String trace = Files.readString(dir.resolve("trace.csv"));
        for (String line : List.of("# command_line = dfl run m.dfl --set γ=2", "# set.γ = 2.0", "# program = /models/m.dfl",
                "# data.y.npy.sha256 = 00ff", "# threads.libtorch_intra_op = 2", "# timestamp = 2026-01-02T03:04:05Z", "# dfl_commit = " + BuildInfo.commit())) {
            assertTrue(trace.contains(line + "\n"), line + " in\n" + trace);
        }
        for (String line : trace.lines().takeWhile(l -> l.startsWith("#")).toList()) {
            assertTrue(line.matches("# [^=]+ = .*") || line.startsWith("# plan: "), line);
        }
    }
}
