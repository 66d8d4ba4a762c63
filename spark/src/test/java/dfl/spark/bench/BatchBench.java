package dfl.spark.bench;

import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Networks;
import dfl.api.SamplerRun;
import dfl.spark.DflBatch;
import dfl.spark.ObservationSeeds;
import dfl.spark.ObservationSource;
import dfl.stdlib.runtime.DataFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;

/**
 * Observations per second, side by side in one run, for one program over one set of observations:
 * <ol>
 *   <li>a shell loop of {@code ./dfl run} (a JVM per observation, the program rewritten to load that observation);
 *   <li>the embedding API in this JVM: bind + run per observation, networks loaded per run (the default) and borrowed
 *       from a {@link Networks} pool;
 *   <li>{@code ./dfl batch --master local[1]} and {@code local[2]}, as processes (JVM and Spark start included), and the
 *       rate the batch reports for its runs alone.
 * </ol>
 * Run from the repository root after {@code mvn -B -o install -DskipTests} (and one {@code ./dfl} call, which builds):
 * {@code java -cp "spark/target/test-classes:cli/target/classes:$(cat spark/target/classpath.txt):$(cat cli/target/classpath.txt)"
 * dfl.spark.bench.BatchBench PROGRAM.dfl NAME=PATH [SEED]}.
 */
public final class BatchBench {

    /** The dfl launcher (property dfl.launcher, default ./dfl). */
    private static final String LAUNCHER = System.getProperty("dfl.launcher", "./dfl");

    private BatchBench() {}

    public static void main(String[] args) throws Exception {
        Path program = Path.of(args[0]);
        String name = args[1].substring(0, args[1].indexOf('='));
        String spec = args[1].substring(args[1].indexOf('=') + 1);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 0;
        Path cwd = Path.of("").toAbsolutePath();
        List<Row> obs = ObservationSource.list(spec, cwd);
        int n = obs.size();
        DflBatch batch = DflBatch.builder(program, name).optSeed(seed).build();
        System.out.printf(Locale.ROOT, "%s over %d observations of %s (%s, K = %d, T = %d), load average %s%n", program, n, spec,
                batch.model().plan().sampler().name(), batch.sizes()[0], batch.sizes()[1], loadAverage());

        // 1. a shell loop of ./dfl run: each observation written as a .npy beside a copy of the program that loads it
        Path tmp = Files.createTempDirectory("dfl-bench");
        String text = Files.readString(program);
        double loop = time(() -> {
            for (Row r : obs) {
                String id = r.getString(0);
                Path data = tmp.resolve("obs-" + r.getLong(1) + ".npy");
                dfl.runtime.output.Npy.writeFloat64(data, new long[] {values(r).length}, values(r));
                Path p = tmp.resolve("p.dfl");
                Files.writeString(p, text.replaceFirst("(?m)^\\s*" + name + "\\s*=\\s*[^;]*;", name + " = load(\"" + data + "\");"));
                process(cwd, LAUNCHER, "run", p.toString(), "--seed", String.valueOf(ObservationSeeds.of(seed, id)), "--quiet",
                        "--out", tmp.resolve("run").toString());
            }
        });
        // 2. the embedding API in this JVM
        DflModel model = Dfl.compile(program);
        double api = time(() -> {
            for (Row r : obs) {
                try (SamplerRun run = model.bind(name, values(r)).sampler().optSeed(ObservationSeeds.of(seed, r.getString(0))).build()) {
                    run.run();
                }
            }
        });
        double pooled;
        try (Networks nets = new Networks()) {
            pooled = time(() -> {
                for (Row r : obs) {
                    try (SamplerRun run = model.bind(name, values(r)).sampler().optNetworks(nets)
                            .optSeed(ObservationSeeds.of(seed, r.getString(0))).build()) {
                        run.run();
                    }
                }
            });
        }
        // 3. dfl batch as a process, local[1] and local[2]
        double[] batchWall = new double[2];
        String[] batchOwn = new String[2];
        for (int slots = 1; slots <= 2; slots++) {
            Path out = tmp.resolve("batch" + slots);
            int s = slots;
            String[] printed = new String[1];
            batchWall[slots - 1] = time(() -> printed[0] = process(cwd, LAUNCHER, "batch", program.toString(), "--data", args[1],
                    "--out", out.toString(), "--seed", String.valueOf(seed), "--master", "local[" + s + "]", "--grids", "0",
                    "--conf", "spark.ui.enabled=false"));
            batchOwn[slots - 1] = printed[0].replaceAll("(?s).*\\((\\S+) per second\\).*", "$1");
        }
        System.out.printf(Locale.ROOT, "| way | seconds | observations per second | vs shell loop |%n|---|---|---|---|%n");
        row("shell loop of ./dfl run (a JVM each)", loop, n, loop);
        row("embedding API, one JVM, networks loaded per run", api, n, loop);
        row("embedding API, one JVM, Networks pool", pooled, n, loop);
        row("./dfl batch --master local[1] (JVM and Spark start included)", batchWall[0], n, loop);
        row("./dfl batch --master local[2] (JVM and Spark start included)", batchWall[1], n, loop);
        System.out.printf(Locale.ROOT, "runs alone, as dfl batch reports them: local[1] %s/s, local[2] %s/s; local[2] / API (per run) = %.2f%n",
                batchOwn[0], batchOwn[1], (n / batchWall[1]) / (n / api));
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    private static void row(String way, double seconds, int n, double loop) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.2f× |%n", way, seconds, n / seconds, loop / seconds);
    }

    private static double[] values(Row r) {
        if (!r.isNullAt(4)) {
            List<Object> v = r.getList(4);
            double[] d = new double[v.size()];
            for (int i = 0; i < d.length; i++) d[i] = ((Number) v.get(i)).doubleValue();
            return d;
        }
        return DataFiles.read(Path.of(r.getString(3)));
    }

    interface Work {
        void run() throws Exception;
    }

    private static double time(Work w) throws Exception {
        long t0 = System.nanoTime();
        w.run();
        return (System.nanoTime() - t0) * 1e-9;
    }

    private static String process(Path cwd, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }
}
