package dfl.spark;

import dfl.runtime.output.AtomicFiles;
import dfl.runtime.output.OutputFolder;
import dfl.runtime.output.RunOutputs;
import dfl.runtime.output.SampleGrid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * {@code dfl batch}'s job: lists the observations, skips those a previous batch into the same folder finished, runs the
 * rest in chunks (each a Spark job whose rows are committed together, so an interrupted batch keeps its finished
 * chunks in {@code .NAME.batch/} beside the output and a rerun goes on from there), then writes the output folder as
 * a unit: {@code results/} (Parquet, one row per observation), {@code summary.csv} (the scalars), {@code samples/ID.png}
 * (grids of the first observations' samples) and {@code batch.json} (the settings and counts).
 */
public final class BatchJob {

    /** A batch's output folder: batch.json marks it; results/ and samples/ are its folders. */
    public static final OutputFolder.Layout LAYOUT = new OutputFolder.Layout("batch.json", Set.of("results", "samples"));

    /**
     * @param out        the output folder
     * @param partitions tasks per chunk (the parallelism)
     * @param chunk      observations per Spark job; an interrupted batch loses at most the chunks in progress
     * @param grids      how many observations (the first, in listing order) get a samples/ID.png
     * @param progress   where progress lines go, or null
     */
    public record Settings(Path out, int partitions, int chunk, int grids, PrintWriter progress) {}

    /** What a batch did: observations listed, skipped as done, run now (ok and failed), and the time of the runs. */
    public record Report(int listed, int skipped, int ran, long failedNow, long failedTotal, double seconds) {
        /** Observations run per second of the jobs (listing and the final write excluded). */
        public double throughput() {
            return ran / seconds;
        }
    }

    private BatchJob() {}

    /**
     * Lists the observations of {@code dataSpec} (relative to {@code base}), starts Spark ({@code master}, or local mode
     * in process unless spark-submit set one; {@code conf} passed through), runs the batch and stops Spark. With
     * {@code partitions} 0 the master's parallelism is used, with {@code chunk} 0 {@link #defaultChunk}.
     *
     * @throws ObservationSource.NoObservations when the data path names no observation
     * @throws dfl.runtime.DflRuntimeException  when a single .npy of observations cannot be read
     */
    public static Report run(DflBatch batch, String dataSpec, Path base, String master, java.util.Map<String, String> conf,
            int partitions, int chunk, Settings settings) throws IOException {
        List<Row> observations = ObservationSource.list(dataSpec, base, batch.numberData());
        // Hadoop's notice that it uses its Java code instead of native libraries is not the user's concern
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop.util.NativeCodeLoader", "error");
        SparkSession.Builder sb = SparkSession.builder().appName("dfl batch " + batch.model().name() + " (" + observations.size()
                + " observations of " + batch.data() + ")").config("spark.ui.showConsoleProgress", "false");
        String m = master != null ? master : System.getProperty("spark.master", "local[*]");
        if (master != null || System.getProperty("spark.master") == null) sb.master(m);
        if (m.startsWith("local")) {
            // in process: nothing listens beyond this machine, and Spark does not warn about the host name's address
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark.util.Utils", "error");
            sb.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.forEach(sb::config);
        SparkSession spark = sb.getOrCreate();
        try {
            int p = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            Settings s = new Settings(settings.out(), p, chunk > 0 ? chunk : defaultChunk(observations.size(), p, batch.group()), settings.grids(),
                    settings.progress());
            return run(spark, batch, observations, dataSpec, s);
        } finally {
            spark.stop();
        }
    }

    /**
     * Observations per Spark job when the user gives none: at least four per partition, at least one group of
     * {@code group} per partition (a group is never split, so a chunk of fewer groups than partitions leaves task slots
     * idle: with groups of 8 and chunks of 8 on local[2], one slot did all the work), and at most eight jobs for the whole
     * batch, since every job pays Spark's scheduling and a Parquet commit (with four per partition, 24 short toy runs took
     * six jobs and most of the time went to them); an interrupted batch loses at most one eighth.
     */
    static int defaultChunk(int observations, int partitions, int group) {
        return Math.max(Math.max(4, group) * partitions, (observations + 7) / 8);
    }

    /** Work folder beside {@code out}: the committed chunks of a batch in progress. */
    public static Path workFolder(Path out) {
        Path t = out.toAbsolutePath().normalize();
        return t.getParent().resolve("." + t.getFileName() + ".batch");
    }

    /**
     * Runs the batch. {@link OutputFolder#checkTarget} is the caller's first step, before Spark starts.
     *
     * @throws IOException when the output cannot be written
     */
    public static Report run(SparkSession spark, DflBatch batch, List<Row> observations, String dataSpec, Settings s) throws IOException {
        OutputFolder.checkTarget(s.out(), LAYOUT);
        Path out = s.out().toAbsolutePath().normalize();
        Path work = workFolder(out);
        Path workResults = work.resolve("results");
        Set<String> done = new HashSet<>(okIds(spark, out.resolve("results")));
        done.addAll(okIds(spark, workResults));
        List<Row> todo = observations.stream().filter(r -> !done.contains(r.getString(0))).toList();
        int skipped = observations.size() - todo.size();
        say(s, String.format(Locale.ROOT, "dfl batch: %d observations, %d already done, %d to run in %d partitions on %s",
                observations.size(), skipped, todo.size(), s.partitions(), spark.sparkContext().master()));
        say(s, "dfl batch: " + batching(batch));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long failed = 0;
        long t0 = System.nanoTime();
        List<List<List<Row>>> chunked = chunks(groups(todo, batch.group()), s.chunk());
        int chunks = chunked.size();
        int finished = 0;
        for (int c = 0; c < chunks; c++) {
            List<List<Row>> part = chunked.get(c);
            int rows = part.stream().mapToInt(List::size).sum();
            spark.sparkContext().setJobDescription(String.format(Locale.ROOT, "dfl batch %s: chunk %d of %d (%d observations)",
                    batch.model().name(), c + 1, chunks, rows));
            // whole groups per partition, in listing order: a group's observations share their network calls
            org.apache.spark.api.java.function.FlatMapFunction<List<Row>, Row> flat = List::iterator;
            Dataset<Row> obs = spark.createDataFrame(jsc.parallelize(part, Math.min(s.partitions(), part.size())).flatMap(flat),
                    BatchSchema.OBSERVATIONS);
            Dataset<Row> results = batch.sample(obs);
            results.write().mode(SaveMode.Append).parquet(workResults.toString());
            failed = spark.read().parquet(workResults.toString()).filter(functions.col("status").equalTo(BatchSchema.FAILED)).count();
            finished += rows;
            double secs = (System.nanoTime() - t0) * 1e-9;
            double rate = finished / secs;
            say(s, String.format(Locale.ROOT, "dfl batch: %d/%d observations run (%d failed), group %d, %.2f per second, about %s left",
                    finished, todo.size(), failed, batch.group(), rate, duration((todo.size() - finished) / rate)));
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        spark.sparkContext().setJobDescription("dfl batch " + batch.model().name() + ": writing " + out);
        long[] failedTotal = new long[1];
        OutputFolder.replace(out, LAYOUT, staging -> {
            failedTotal[0] = writeOutputs(spark, batch, out, workResults, staging, s, dataSpec, observations.size());
            return List.of(staging);
        });
        OutputFolder.deleteTree(work);
        return new Report(observations.size(), skipped, todo.size(), failed, failedTotal[0], seconds);
    }

    /** How a batch's observations share network calls, for the log and batch.json. */
    static String batching(DflBatch batch) {
        return batch.whyNotBatched().map(why -> "one observation per network call: " + why)
                .orElse("up to " + batch.group() + " observations (those with the same index / " + batch.group()
                        + ") share every network call" + (batch.groupAsked() == DflBatch.AUTO_GROUP ? " (--group auto: an exact prior, "
                        + batch.group() + "·" + batch.sizes()[0] + " particles per call)" : ""));
    }

    /** Consecutive observations with the same listing index / {@code group}, in listing order (each a group of its own for 1). */
    static List<List<Row>> groups(List<Row> todo, int group) {
        List<List<Row>> out = new ArrayList<>();
        long key = Long.MIN_VALUE;
        for (Row r : todo) {
            long k = Math.floorDiv(r.getLong(1), group);
            if (out.isEmpty() || k != key || out.get(out.size() - 1).size() == group) out.add(new ArrayList<>());
            out.get(out.size() - 1).add(r);
            key = k;
        }
        return out;
    }

    /** Whole groups into chunks of at least {@code chunk} observations (the last may be smaller). */
    static List<List<List<Row>>> chunks(List<List<Row>> groups, int chunk) {
        List<List<List<Row>>> out = new ArrayList<>();
        int rows = chunk;
        for (List<Row> g : groups) {
            if (rows >= chunk) {
                out.add(new ArrayList<>());
                rows = 0;
            }
            out.get(out.size() - 1).add(g);
            rows += g.size();
        }
        return out;
    }

    /** The ids of the observations finished without failure in the Parquet dataset at {@code dir} (none if absent). */
    private static List<String> okIds(SparkSession spark, Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        return spark.read().parquet(dir.toString()).filter(functions.col("status").equalTo(BatchSchema.OK)).select("id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    /** Writes results/, summary.csv, samples/ and batch.json into {@code staging}; returns the failed observations. */
    private static long writeOutputs(SparkSession spark, DflBatch batch, Path out, Path workResults, Path staging, Settings s,
            String dataSpec, int listed) throws IOException {
        // the rows of this batch win over the previous output's, an ok row over a failed one
        Dataset<Row> all = null;
        if (Files.isDirectory(workResults)) all = spark.read().parquet(workResults.toString()).withColumn("_new", functions.lit(0));
        if (Files.isDirectory(out.resolve("results"))) {
            Dataset<Row> old = spark.read().parquet(out.resolve("results").toString()).withColumn("_new", functions.lit(1));
            all = all == null ? old : all.unionByName(old);
        }
        if (all == null) all = spark.createDataFrame(List.of(), BatchSchema.RESULTS).withColumn("_new", functions.lit(0));
        var order = Window.partitionBy("id").orderBy(functions.when(functions.col("status").equalTo(BatchSchema.OK), 0).otherwise(1),
                functions.col("_new"));
        Dataset<Row> rows = all.withColumn("_rank", functions.row_number().over(order)).filter("_rank = 1").drop("_rank", "_new")
                .orderBy("index", "id").coalesce(Math.max(1, s.partitions()));
        rows.write().parquet(staging.resolve("results").toString());
        Dataset<Row> written = spark.read().parquet(staging.resolve("results").toString()).orderBy("index", "id");
        List<Row> scalars = written.selectExpr(BatchSchema.SCALARS).collectAsList();
        AtomicFiles.writeString(staging.resolve("summary.csv"), SummaryCsv.text(scalars));
        List<Row> first = written.filter(functions.col("status").equalTo(BatchSchema.OK)).limit(s.grids())
                .select("id", "shape", "samples", "weights").collectAsList();
        for (Row r : first) {
            int[] shape = r.getList(1).stream().mapToInt(x -> (Integer) x).toArray();
            if (!SampleGrid.isImage(shape)) continue;
            float[][] xs = BatchSchema.samples(r, 2);
            double[] w = BatchSchema.doubles(r, 3);
            double[] logW = new double[w.length];
            for (int i = 0; i < w.length; i++) logW[i] = Math.log(w[i]);
            SampleGrid.write(staging.resolve("samples").resolve(fileName(r.getString(0).replaceFirst("(?i)\\.(png|npy|csv)$", "")) + ".png"),
                    shape, xs, logW);
        }
        long failed = scalars.stream().filter(r -> BatchSchema.FAILED.equals(r.getAs("status"))).count();
        AtomicFiles.writeString(staging.resolve("batch.json"), batchJson(batch, dataSpec, listed, scalars.size(), failed));
        return failed;
    }

    private static String batchJson(DflBatch batch, String dataSpec, int listed, int rows, long failed) {
        var o = new com.google.gson.JsonObject();
        o.addProperty("program", batch.model().source().name());
        o.addProperty("data", batch.data() + "=" + dataSpec);
        o.addProperty("seed", batch.seed());
        o.addProperty("seed_rule", "per observation: first 8 bytes of SHA-256(\"SEED/ID\"), big-endian, sign bit cleared");
        o.addProperty("sampler", batch.model().plan().sampler().name());
        o.addProperty("particles", batch.sizes()[0]);
        o.addProperty("steps", batch.sizes()[1]);
        o.addProperty("group", batch.group());
        o.addProperty("group_asked", batch.groupAsked() == DflBatch.AUTO_GROUP ? "auto" : String.valueOf(batch.groupAsked()));
        o.addProperty("batching", batching(batch));
        o.addProperty("observations_listed", listed);
        o.addProperty("rows", rows);
        o.addProperty("failed", failed);
        o.addProperty("dfl_version", RunOutputs.DFL_VERSION);
        return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    /** An id as a file name: characters other than letters, digits, '.', '-' and '_' become '_'. */
    static String fileName(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    private static void say(Settings s, String line) {
        if (s.progress() != null) {
            s.progress().println(line);
            s.progress().flush();
        }
    }
}
