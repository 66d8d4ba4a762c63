package dfl.examples.batch;

import dfl.cli.ExitCodes;
import dfl.cli.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.spark.ObservationSeeds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dfl batch} from the command line: its outputs, its usage errors, and equality with {@code dfl run} at the derived seed. */
class BatchCommandTest {

    static final String PROGRAM = """
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5]];
            y = load("ys/a.csv");
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 16, steps = 12);
            """;

    record Outcome(int code, String out, String err) {}

    static Outcome dfl(Path cwd, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.executeIn(cwd, args, new PrintWriter(out), new PrintWriter(err));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void batchWritesItsOutputsAndEachObservationEqualsDflRunWithItsDerivedSeed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.dfl"), PROGRAM);
        Files.createDirectories(dir.resolve("ys"));
        Files.writeString(dir.resolve("ys/a.csv"), "1.2\n");
        Files.writeString(dir.resolve("ys/b.csv"), "-0.7\n");
        Outcome b = dfl(dir, "batch", "p.dfl", "--data", "y=ys", "--out", "out", "--seed", "9", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("2 observations: 2 run now"), b.out());
        assertTrue(b.err().contains("dfl batch: 2/2 observations run (0 failed)"), b.err());
        // both observations (indices 0 and 1) are one group of --group auto's 8 on an exact prior: one batch of 2·16 particles per step
        assertTrue(b.err().contains("dfl batch: up to 8 observations (those with the same index / 8) share every network call "
                + "(--group auto: an exact prior, 8·16 particles per call)"), b.err());
        assertTrue(b.err().contains("dfl batch: 2/2 observations run (0 failed), group 8,"), b.err());
        String json = Files.readString(dir.resolve("out/batch.json"));
        assertTrue(json.contains("\"group\": 8") && json.contains("\"group_asked\": \"auto\""), json);
        List<String> csv = Files.readAllLines(dir.resolve("out/summary.csv"));
        assertEquals(3, csv.size());
        long seedA = ObservationSeeds.of(9, "a.csv");
        assertTrue(csv.get(1).startsWith("a.csv,0,"), csv.get(1));
        assertTrue(csv.get(1).contains("," + seedA + ",ok,"), csv.get(1));

        Outcome r = dfl(dir, "run", "p.dfl", "--seed", String.valueOf(seedA), "--out", "run-a", "--quiet");
        assertEquals(0, r.code(), r.err());
        float[] fromRun = npyFloats(dir.resolve("run-a/samples.npy"));
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Row a = spark.read().parquet(dir.resolve("out/results").toString()).filter("id = 'a.csv'").select("samples").first();
            assertArrayEquals(fromRun, flat(a.getList(0), fromRun.length), "dfl batch's samples of a.csv differ from dfl run --seed " + seedA);
        } finally {
            spark.stop();
        }

        // a rerun has nothing left to do
        Outcome again = dfl(dir, "batch", "p.dfl", "--data", "y=ys", "--out", "out", "--seed", "9", "--master", "local[1]",
                "--conf", "spark.ui.enabled=false");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("2 observations: 0 run now") && again.out().contains("2 already done"), again.out());
    }

    /** A ring mixture whose number of components is the number binding k. */
    static final String RING = """
            k = 4;
            prior = diffusion(gmm(means = ring(k, 2.0), std = 0.3));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 16, steps = 12);
            """;

    @Test
    void batchOverANumberBindingEqualsDflRunWithSetAndABadValueIsThatObservationsFailure(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.dfl"), RING);
        Files.writeString(dir.resolve("ks.csv"), "3\n2.5\n6\n");
        Outcome b = dfl(dir, "batch", "p.dfl", "--data", "k=ks.csv", "--out", "out", "--seed", "9", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("3 observations: 3 run now") && b.out().contains("1 failed"), b.out());
        assertTrue(b.err().contains("one observation per network call: 'k' is a number"), b.err());
        assertTrue(b.err().contains("dfl: 1 of 3 observations failed"), b.err());
        List<String> csv = Files.readAllLines(dir.resolve("out/summary.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("1,1,ks.csv,") && csv.get(2).contains(",failed,DFL-E0113,")
                && csv.get(2).contains("'n' must be a whole number of at least 1, got 2.5. (") && csv.get(2).contains("p.dfl:2:36)"), csv.get(2));
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            for (String[] run : new String[][] {{"0", "3"}, {"2", "6"}}) {
                long seed = ObservationSeeds.of(9, run[0]);
                Outcome r = dfl(dir, "run", "p.dfl", "--set", "k=" + run[1], "--seed", String.valueOf(seed), "--out", "run-" + run[0], "--quiet");
                assertEquals(0, r.code(), r.err());
                float[] fromRun = npyFloats(dir.resolve("run-" + run[0] + "/samples.npy"));
                Row row = spark.read().parquet(dir.resolve("out/results").toString()).filter("id = '" + run[0] + "'").select("samples").first();
                assertArrayEquals(fromRun, flat(row.getList(0), fromRun.length), "observation " + run[0] + " differs from dfl run --set k=" + run[1]);
            }
        } finally {
            spark.stop();
        }
    }

    /** A samples column (arrays of floats) flattened. */
    static float[] flat(List<Object> rows, int n) {
        float[] out = new float[n];
        int k = 0;
        for (Object row : rows) {
            for (Object v : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) row)) out[k++] = (Float) v;
        }
        assertEquals(n, k);
        return out;
    }

    @Test
    void theReadmesBatchCommandRuns(@TempDir Path out) throws IOException {
        // the README's command, smaller (2 particles, 3 steps) and without the UI; the cwd is the repository root
        Path root = Path.of("..").toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        String cmd = "./dfl batch examples/batch/inpaint.dfl --data y=examples/batch/digits --out out/batch-inpaint";
        assertTrue(readme.contains(cmd), "the README shows: " + cmd);
        Outcome b = dfl(root, "batch", "examples/batch/inpaint.dfl", "--data", "y=examples/batch/digits", "--out",
                out.resolve("batch-inpaint").toString(), "--particles", "2", "--steps", "3", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("10 observations: 10 run now") && b.out().contains("0 failed"), b.out());
        try (var grids = Files.list(out.resolve("batch-inpaint/samples"))) {
            assertEquals(4, grids.count(), "samples/ID.png for the first 4 digits");
        }
    }

    @Test
    void usageErrorsAreReportedBeforeSparkStarts(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.dfl"), PROGRAM);
        Outcome noEquals = dfl(dir, "batch", "p.dfl", "--data", "ys", "--out", "out");
        assertEquals(ExitCodes.USAGE, noEquals.code());
        assertTrue(noEquals.err().contains("--data takes NAME=PATH"), noEquals.err());
        Outcome missing = dfl(dir, "batch", "p.dfl", "--data", "y=nowhere", "--out", "out");
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("no such file or folder: 'nowhere'"), missing.err());
        Files.createDirectories(dir.resolve("ys"));
        Files.writeString(dir.resolve("ys/a.csv"), "1.2\n");
        Outcome unbound = dfl(dir, "batch", "p.dfl", "--data", "z=ys", "--out", "out");
        assertEquals(ExitCodes.USAGE, unbound.code());
        assertTrue(unbound.err().contains("'z' is not bound in"), unbound.err());
        for (String bad : List.of("0", "-2", "many")) {
            Outcome group = dfl(dir, "batch", "p.dfl", "--data", "y=ys", "--out", "out", "--group", bad);
            assertEquals(ExitCodes.USAGE, group.code());
            assertTrue(group.err().contains("--group takes auto or a number of at least 1, not '" + bad + "'"), group.err());
        }
    }

    /** The float32 values of a .npy file written by the runtime (version 1 header). */
    static float[] npyFloats(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int header = 10 + ((b[8] & 0xff) | (b[9] & 0xff) << 8);
        ByteBuffer buf = ByteBuffer.wrap(b, header, b.length - header).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(b.length - header) / 4];
        for (int i = 0; i < out.length; i++) out[i] = buf.getFloat();
        return out;
    }
}
