package dfl.cli;

import dfl.api.DflCompileException;
import dfl.compiler.CompileResult;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.output.OutputFolder;
import dfl.spark.BatchJob;
import dfl.spark.DflBatch;
import dfl.spark.ObservationSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dfl batch FILE --data y=PATH --out DIR}: the program once per observation, on Apache Spark. */
@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run a model once per observation of a dataset, on Apache Spark (in process by default), and write a Parquet "
                + "dataset (one row per observation), summary.csv, sample grids and batch.json.",
            "Each observation's seed is derived from --seed and its id, so results do not depend on partitioning; "
                + "rerunning into the same --out skips the observations already done."})
final class BatchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "a .dfl model file")
    Path file;

    @Mixin
    ModelOptions model;

    @Option(names = "--data", required = true, paramLabel = "NAME=PATH",
            description = "the binding each observation replaces and the observations: a folder or glob of .npy/.png/.csv files, "
                    + "or one .npy whose first axis indexes them")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (written as a unit; a rerun continues it)")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*], in process; "
            + "under spark-submit, its --master)")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "tasks at a time (default: the master's parallelism)")
    Integer partitions;

    @Option(names = "--seed", description = "batch seed S (default ${DEFAULT-VALUE}); observation ID runs with a seed derived from (S, ID)",
            defaultValue = "0")
    long seed;

    @Option(names = "--particles", paramLabel = "K", description = "particles per run, overriding the file")
    Integer particles;

    @Option(names = "--steps", paramLabel = "T", description = "sampling steps per run, overriding the file")
    Integer steps;

    @Option(names = "--group", paramLabel = "B", description = "observations whose runs share every network call, one batch of B·K "
            + "particles, where the program allows it; 1 runs each by itself; auto (the default): up to 8 with B·K ≤ 2048 on exact "
            + "priors, 1 with networks (which run on the CPU, where sharing calls was measured slower)")
    String group;

    @Option(names = "--grids", paramLabel = "G", defaultValue = "4", description = "samples/ID.png for the first G observations (default ${DEFAULT-VALUE})")
    int grids;

    @Option(names = "--chunk", paramLabel = "C", description = "observations per Spark job (default: 4 per partition, or more so that there are at most 8 jobs); "
            + "an interrupted batch keeps its finished chunks")
    Integer chunk;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "a Spark setting, e.g. --conf spark.ui.enabled=false")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--quiet", description = "no progress lines")
    boolean quiet;

    @Option(names = "--verbose", description = "Spark's own log at INFO (default WARN)")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        var stdout = spec.commandLine().getOut();
        if (!sparkPresent()) {
            // the distribution leaves Spark's 170 jars out (docs/install.md)
            err.println("dfl: dfl batch needs Apache Spark, which this installation does not include: run it from a source checkout "
                    + "(./dfl batch) or with spark-submit (see docs/batch.md)");
            return ExitCodes.UNAVAILABLE;
        }
        int eq = data.indexOf('=');
        if (eq <= 0 || eq == data.length() - 1) {
            err.println("dfl: --data takes NAME=PATH, e.g. --data y=digits/, not '" + data + "'");
            return ExitCodes.USAGE;
        }
        if ((particles != null && particles < 1) || (steps != null && steps < 1) || (partitions != null && partitions < 1)
                || (chunk != null && chunk < 1) || grids < 0) {
            err.println("dfl: --particles, --steps, --partitions and --chunk must be at least 1, --grids at least 0");
            return ExitCodes.USAGE;
        }
        String g = group == null ? "auto" : group.trim();
        int groupSize = g.equals("auto") ? DflBatch.AUTO_GROUP : g.matches("[0-9]{1,9}") && Integer.parseInt(g) > 0 ? Integer.parseInt(g) : -1;
        if (groupSize < 0) {
            err.println("dfl: --group takes auto or a number of at least 1, not '" + group + "'");
            return ExitCodes.USAGE;
        }
        String name = data.substring(0, eq).trim();
        String path = data.substring(eq + 1).trim();
        Reporter reporter = Reporter.of(spec);
        CompileResult r = model.compile(file, reporter, err);
        if (r == null) return ExitCodes.USAGE;
        if (r.plan().isEmpty()) {
            reporter.summary(r.diagnostics());
            return ExitCodes.MODEL_ERROR;
        }
        Path dir = Sources.resolve(out);
        try {
            OutputFolder.checkTarget(dir, BatchJob.LAYOUT);
        } catch (IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        if (verbose) System.setProperty("org.slf4j.simpleLogger.log.org.apache.spark", "info");
        BatchJob.Report report;
        try {
            DflBatch.Builder b = DflBatch.builder(Sources.resolve(file), name).optSeed(seed);
            if (Sources.base != null) b.optWorkingDir(Sources.base);
            model.sets.forEach((k, v) -> b.optSet(k, Double.parseDouble(v.trim())));
            if (particles != null) b.optParticles(particles);
            if (steps != null) b.optSteps(steps);
            b.optGroup(groupSize);
            DflBatch batch = b.build();
            Path base = Sources.base == null ? Path.of("").toAbsolutePath() : Sources.base;
            report = BatchJob.run(batch, path, base, master, conf, partitions == null ? 0 : partitions, chunk == null ? 0 : chunk,
                    new BatchJob.Settings(dir, 0, 0, grids, quiet ? null : err));
        } catch (IllegalArgumentException | ObservationSource.NoObservations e) {
            err.println("dfl: --data " + data + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (DflCompileException e) {
            err.print(e.rendered());
            return ExitCodes.MODEL_ERROR;
        } catch (DflRuntimeException e) {
            err.println("dfl: --data " + data + ": " + e.code().printed() + ": " + e.getMessage());
            return ExitCodes.MODEL_ERROR;
        } catch (IOException e) {
            err.println("dfl: cannot write the outputs to " + dir + ": " + e.getMessage());
            return ExitCodes.IO_ERROR;
        }
        if (!quiet) {
            stdout.println(String.format(Locale.ROOT, "%d observations: %d run now (%.2f per second), %d already done, %d failed → %s",
                    report.listed(), report.ran(), report.ran() == 0 ? 0.0 : report.throughput(), report.skipped(),
                    report.failedTotal(), dir));
        }
        if (report.failedTotal() > 0) {
            err.println("dfl: " + report.failedTotal() + " of " + report.listed() + " observations failed; their codes and messages are in "
                    + dir.resolve("summary.csv"));
        }
        return report.failedTotal() == report.listed() ? ExitCodes.MODEL_ERROR : ExitCodes.OK;
    }

    private static boolean sparkPresent() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, BatchCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
