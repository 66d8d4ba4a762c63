package dfl.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.api.Result;
import dfl.api.SamplerRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dfl batch on Spark in process (local[2], no UI): per-observation seeds make results independent of partitioning and
 * equal to single runs through the API; failures become rows; a task whose first attempt dies is retried without
 * duplicate rows; a rerun skips what is done; networks load once per task slot. Tiny programs keep it quick.
 */
class DflBatchTest {

    /** A 2-D Gaussian-mixture prior observed through A: cheap, and every sampler step is the real TDS. */
    static final String POSTERIOR = """
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 16, steps = 12);
            """;

    static SparkSession spark;

    @BeforeAll
    static void start() {
        // local[2, 3]: two task threads, and a failed task is tried up to 3 times (the retry test needs a second attempt)
        spark = SparkSession.builder().master("local[2,3]").appName("DflBatchTest").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static List<Row> observations(double... ys) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ys.length; i++) {
            rows.add(RowFactory.create("obs" + i, (long) i, "test", null, Rows.seq(new double[] {ys[i]}), null));
        }
        return rows;
    }

    static Map<String, Row> byId(Dataset<Row> results) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : results.collectAsList()) {
            Row before = out.put(r.getAs("id"), r);
            assertNull(before, "one row per observation, but " + r.getAs("id") + " came twice");
        }
        return out;
    }

    static Dataset<Row> sample(DflBatch batch, List<Row> obs, int partitions) {
        return batch.sample(spark.createDataFrame(spark.sparkContext().parallelize(scala.jdk.javaapi.CollectionConverters.asScala(obs)
                .toSeq(), partitions, scala.reflect.ClassTag$.MODULE$.apply(Row.class)), BatchSchema.OBSERVATIONS));
    }

    static float[][] samples(Row r) {
        return BatchSchema.samples(r, r.fieldIndex("samples"));
    }

    static double[] weights(Row r) {
        return BatchSchema.doubles(r, r.fieldIndex("weights"));
    }

    @Test
    void partitioningDoesNotChangeResultsWhichEqualSingleApiRuns() {
        DflBatch batch = DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(7).build();
        List<Row> obs = observations(-1.5, 0.2, 1.2, 2.8);
        Map<String, Row> one = byId(sample(batch, obs, 1));
        Map<String, Row> three = byId(sample(batch, obs, 3));
        assertEquals(4, one.size());
        for (int i = 0; i < obs.size(); i++) {
            String id = "obs" + i;
            Row a = one.get(id), b = three.get(id);
            assertEquals("ok", a.getAs("status"), () -> a.getAs("message"));
            assertEquals(a.<Long>getAs("seed"), b.<Long>getAs("seed"));
            assertArrayEquals(samples(a), samples(b), id + ": samples differ between 1 and 3 partitions");
            assertArrayEquals(weights(a), weights(b));
            assertEquals(a.<Double>getAs("log_evidence"), b.<Double>getAs("log_evidence"));
            // the same run through the embedding API, seeded with the derived seed
            double y = Rows.doubles(obs.get(i).getList(4))[0];
            Result single;
            try (SamplerRun run = batch.model().bind("y", new double[] {y}).sampler().optSeed(batch.seedOf(id)).build()) {
                single = run.run();
            }
            assertEquals(ObservationSeeds.of(7, id), a.<Long>getAs("seed"));
            assertArrayEquals(single.samples(), samples(a), id + ": the batch's samples differ from dfl.api's");
            assertArrayEquals(single.weights(), weights(a));
            assertEquals(single.logEvidence().getAsDouble(), a.<Double>getAs("log_evidence"));
            assertArrayEquals(single.mean(), Rows.doubles(a.getList(a.fieldIndex("mean"))));
        }
        // a negative control: another batch seed gives other samples
        Map<String, Row> other = byId(sample(DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(8).build(), obs, 1));
        assertTrue(!java.util.Arrays.deepEquals(samples(one.get("obs0")), samples(other.get("obs0"))));
    }

    @Test
    void groupsShareNetworkCallsAndAFailingObservationLeavesTheOthersOfItsGroup() {
        DflBatch batch = DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(4).optGroup(4).build();
        assertTrue(batch.whyNotBatched().isEmpty(), () -> batch.whyNotBatched().get());
        // observation 5's data overflows the likelihood in float64: its run fails, and so does the batched run of its group
        List<Row> obs = observations(-1.5, 0.2, 1.2, 2.8, 0.5, 1e300, -0.3, 1.9);
        Map<String, Row> one = byId(sample(batch, obs, 1));
        Map<String, Row> three = byId(sample(batch, obs, 3));
        Row failed = one.get("obs5");
        assertEquals("failed", failed.getAs("status"));
        assertEquals("failed", three.get("obs5").getAs("status"));
        assertEquals(failed.<String>getAs("code"), three.get("obs5").getAs("code"));
        for (int i = 0; i < obs.size(); i++) {
            if (i == 5) continue;
            String id = "obs" + i;
            Row a = one.get(id), b = three.get(id);
            assertEquals("ok", a.getAs("status"), () -> a.getAs("message"));
            assertArrayEquals(samples(a), samples(b), id + ": samples differ between 1 and 3 partitions");
            assertArrayEquals(weights(a), weights(b));
            double y = Rows.doubles(obs.get(i).getList(4))[0];
            Result single;
            try (SamplerRun run = batch.model().bind("y", new double[] {y}).sampler().optSeed(batch.seedOf(id)).build()) {
                single = run.run();
            }
            assertArrayEquals(single.samples(), samples(a), id + ": the grouped batch's samples differ from its own run");
            assertArrayEquals(single.weights(), weights(a));
            assertEquals(single.logEvidence().getAsDouble(), a.<Double>getAs("log_evidence"));
        }
        // the first group (observations 0-3, one partition) ran together: each row has the same share of the group's time
        double share = one.get("obs0").<Double>getAs("seconds");
        for (int i = 1; i < 4; i++) assertEquals(share, one.get("obs" + i).<Double>getAs("seconds"), "obs" + i + " ran in its group");
        // the second group's runs were repeated one by one after obs5 failed: their times are their own
        assertTrue(!one.get("obs4").<Double>getAs("seconds").equals(one.get("obs6").<Double>getAs("seconds")));

        DflBatch dps = DflBatch.builder(POSTERIOR.replace("tds(", "dps("), "dps.dfl", "y").build();
        assertTrue(dps.whyNotBatched().orElse("").contains("the sampler is dps"), dps.whyNotBatched().toString());
        assertEquals("groups of one observation were asked for",
                DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optGroup(1).build().whyNotBatched().orElse(""));
    }

    @Test
    void dflBatchKeepsGroupsWholeInPartitionsAndChunks() {
        List<Row> obs = observations(new double[11]);
        List<Row> todo = new ArrayList<>(obs);
        todo.remove(2); // done already: its group has the others of indices 0-3
        List<List<Row>> groups = BatchJob.groups(todo, 4);
        assertEquals(List.of(3, 4, 3), groups.stream().map(List::size).toList());
        assertEquals(List.of("obs0", "obs1", "obs3"), groups.get(0).stream().map(r -> r.getString(0)).toList());
        List<List<List<Row>>> chunks = BatchJob.chunks(groups, 5);
        assertEquals(List.of(2, 1), chunks.stream().map(List::size).toList(), "chunks of at least 5 observations, groups whole");
        assertEquals(List.of(1, 1, 1, 1), BatchJob.groups(obs.subList(0, 4), 1).stream().map(List::size).toList());
        // the default chunk holds a group per partition, so that no task slot idles: 24 observations in groups of 8 on 2 slots
        assertEquals(16, BatchJob.defaultChunk(24, 2, 8));
        assertEquals(List.of(2, 1), BatchJob.chunks(BatchJob.groups(observations(new double[24]), 8), 16).stream().map(List::size).toList());
        assertEquals(8, BatchJob.defaultChunk(24, 2, 1));
        assertEquals(13, BatchJob.defaultChunk(100, 2, 1), "at most 8 jobs");
    }

    @Test
    void aTaskWhoseFirstAttemptDiesIsRetriedWithoutDuplicateRows() {
        List<Row> obs = observations(-1.0, 0.0, 1.0, 2.0, 3.0, 4.0);
        // groups of 2 (indices 0-1, 2, 3, 4-5 in the two partitions): the first attempt dies after its first group
        DflBatch killing = DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(3).optGroup(2).killFirstAttemptAfter(1).build();
        Map<String, Row> retried = byId(sample(killing, obs, 2)); // byId fails on a duplicate
        Map<String, Row> plain = byId(sample(DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(3).build(), obs, 2));
        assertEquals(plain.keySet(), retried.keySet());
        for (String id : plain.keySet()) assertArrayEquals(samples(plain.get(id)), samples(retried.get(id)));
    }

    @Test
    void failingObservationsAreRowsWithTheirDiagnosticAndTheRestContinue(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("ys"));
        Files.writeString(data.resolve("a.csv"), "1.2\n");
        Files.writeString(data.resolve("b.csv"), "one point two\n");     // unreadable: not a number
        Files.writeString(data.resolve("c.csv"), "1.2, 3.4\n");          // two values for a binding of one
        Files.writeString(data.resolve("d.csv"), "-0.5\n");
        List<Row> obs = ObservationSource.list(data.toString(), dir);
        assertEquals(List.of("a.csv", "b.csv", "c.csv", "d.csv"), obs.stream().map(r -> r.getString(0)).toList());
        Map<String, Row> rows = byId(sample(DflBatch.builder(POSTERIOR, "posterior.dfl", "y").build(), obs, 2));
        assertEquals("ok", rows.get("a.csv").getAs("status"));
        assertEquals("ok", rows.get("d.csv").getAs("status"));
        assertEquals("failed", rows.get("b.csv").getAs("status"));
        assertEquals("DFL-E0301", rows.get("b.csv").getAs("code"));
        assertTrue(rows.get("b.csv").<String>getAs("message").contains("not a finite decimal number"), rows.get("b.csv").<String>getAs("message"));
        assertEquals("DFL-E0302", rows.get("c.csv").getAs("code"));
        assertNull(rows.get("c.csv").getAs("samples"));
        assertNotNull(rows.get("a.csv").getAs("samples"));
    }

    @Test
    void theOutputFolderIsWrittenAndARerunSkipsWhatIsDone(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("ys"));
        Files.writeString(data.resolve("a.csv"), "1.2\n");
        Files.writeString(data.resolve("b.csv"), "0.4\n");
        DflBatch batch = DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optSeed(5).build();
        Path out = dir.resolve("out");
        BatchJob.Settings settings = new BatchJob.Settings(out, 2, 1, 4, null);
        BatchJob.Report first = BatchJob.run(spark, batch, ObservationSource.list("ys", dir), "ys", settings);
        assertEquals(2, first.ran());
        assertTrue(Files.isRegularFile(out.resolve("batch.json")));
        String csv = Files.readString(out.resolve("summary.csv"));
        assertTrue(csv.startsWith("id,index,source,seed,status,code,message,log_evidence,ess,"), csv);
        assertEquals(3, csv.lines().count());
        assertTrue(!Files.exists(BatchJob.workFolder(out)), "the work folder is removed once the output is in place");

        Files.writeString(data.resolve("c.csv"), "-2.0\n");
        BatchJob.Report second = BatchJob.run(spark, batch, ObservationSource.list("ys", dir), "ys", settings);
        assertEquals(2, second.skipped());
        assertEquals(1, second.ran());
        Map<String, Row> rows = byId(spark.read().parquet(out.resolve("results").toString()));
        assertEquals(java.util.Set.of("a.csv", "b.csv", "c.csv"), rows.keySet());
        assertEquals(4, Files.readString(out.resolve("summary.csv")).lines().count());

        // a folder of other files is never replaced
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.DirectoryNotEmptyException.class,
                () -> BatchJob.run(spark, batch, ObservationSource.list("ys", dir), "ys", new BatchJob.Settings(foreign, 2, 1, 4, null)));
    }

    @Test
    void networksLoadOncePerTaskSlotNotPerObservation() {
        Path pt = Path.of("../examples/toy/torchscript_gmm_energy.pt").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(pt), "missing test model " + pt);
        String program = "prior = diffusion(torchscript(\"" + pt + "\", shape = [2]), schedule = \"linear\", steps = 200, "
                + "beta_end = 0.05, parameterization = \"energy\");\nA = [[1.0, 0.5]];\ny = [1.2];\nobserve y ~ Normal(A @ x, 0.3);\n"
                + "sample x with tds(particles = 4, steps = 4);\n";
        DflBatch batch = DflBatch.builder(program, "ts.dfl", "y").build();
        int before = ExecutorState.networks().loads();
        int compiles = ExecutorState.compiles();
        Map<String, Row> rows = byId(sample(batch, observations(-1, 0, 1, 2, 3, 4, 5, 6), 2));
        rows.values().forEach(r -> assertEquals("ok", r.getAs("status"), () -> r.getAs("message")));
        int loads = ExecutorState.networks().loads() - before;
        assertTrue(loads >= 1 && loads <= 2, "8 observations on 2 task threads loaded the network " + loads + " times");
        assertEquals(compiles + 1, ExecutorState.compiles(), "the program compiles once per executor");
    }

    /** A ring mixture whose number of components is the number binding k (a whole number of at least 1). */
    static final String RING = """
            k = 4;
            prior = diffusion(gmm(means = ring(k, 2.0), std = 0.3));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 16, steps = 12);
            """;

    @Test
    void aNumberBindingIsCompiledIntoEachObservationsProgramAsSetWouldAndBadValuesFailAlone(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ks.csv"), "3\n5\n2.5\n0\n");
        List<Row> obs = ObservationSource.list("ks.csv", dir, true);
        assertEquals(List.of("0", "1", "2", "3"), obs.stream().map(r -> r.getString(0)).toList(), "one observation per number");
        DflBatch batch = DflBatch.builder(RING, "ring.dfl", "k").optSeed(5).optGroup(4).build();
        assertTrue(batch.numberData());
        assertEquals(1, batch.group());
        assertTrue(batch.whyNotBatched().orElse("").contains("'k' is a number"), batch.whyNotBatched().toString());
        Map<String, Row> rows = byId(sample(batch, obs, 2));
        double[] ks = {3, 5};
        for (int i = 0; i < ks.length; i++) {
            String id = String.valueOf(i);
            Row a = rows.get(id);
            assertEquals("ok", a.getAs("status"), () -> a.getAs("message"));
            // the same run as dfl run --set k=K --seed seed(5, id)
            Result single;
            try (SamplerRun run = dfl.api.Dfl.builder().optSet("k", ks[i]).compile(new dfl.source.SourceFile("ring.dfl", RING)).sampler()
                    .optSeed(batch.seedOf(id)).build()) {
                single = run.run();
            }
            assertArrayEquals(single.samples(), samples(a), id + ": the batch's samples differ from --set k=" + ks[i]);
            assertArrayEquals(single.weights(), weights(a));
            assertEquals(single.logEvidence().getAsDouble(), a.<Double>getAs("log_evidence"));
        }
        // a negative control: another k gives other samples at the same seed
        try (SamplerRun run = dfl.api.Dfl.builder().optSet("k", 4).compile(new dfl.source.SourceFile("ring.dfl", RING)).sampler()
                .optSeed(batch.seedOf("0")).build()) {
            assertTrue(!java.util.Arrays.deepEquals(run.run().samples(), samples(rows.get("0"))));
        }
        for (String id : List.of("2", "3")) {
            Row f = rows.get(id);
            assertEquals("failed", f.getAs("status"), id);
            assertEquals("DFL-E0113", f.getAs("code"), () -> f.getAs("message"));
            assertTrue(f.<String>getAs("message").contains("must be a whole number of at least 1"), f.<String>getAs("message"));
            assertNull(f.getAs("samples"));
        }
        // without numbers (a tensor binding), one .csv file stays one observation
        assertEquals(1, ObservationSource.list("ks.csv", dir, false).size());
    }

    @Test
    void groupAutoSharesCallsOnExactPriorsUpToTheParticleCapAndNotWithNetworks() {
        DflBatch exact = DflBatch.builder(POSTERIOR, "posterior.dfl", "y").build();
        assertEquals(DflBatch.AUTO_GROUP, exact.groupAsked());
        assertEquals(DflBatch.AUTO_MAX_GROUP, exact.group());
        assertTrue(exact.whyNotBatched().isEmpty());
        assertEquals(4, DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optParticles(512).build().group(), "4 · 512 = 2048 particles");
        assertEquals(1, DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optParticles(4096).build().group());
        assertEquals(3, DflBatch.builder(POSTERIOR, "posterior.dfl", "y").optGroup(3).build().group(), "a number asked for is kept");
        Path unet = Path.of("../examples/batch/inpaint.dfl");
        DflBatch network = DflBatch.builder(unet, "y").build();
        assertEquals(1, network.group());
        assertTrue(network.whyNotBatched().orElse("").startsWith("--group auto: the program has networks"), network.whyNotBatched().toString());
        assertEquals(5, DflBatch.builder(unet, "y").optGroup(5).build().group(), "--group B still groups a network prior");
    }
}
