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
import java.util.ArrayList;
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
 * Each way is also run with K·B batching where it has it: the API's {@link SamplerRun#runEach} over groups of B
 * observations (pool), and {@code dfl batch --group 1} (each observation by itself) against {@code --group B}.
 * Run from the repository root after {@code mvn -B -o install -DskipTests} (and one {@code ./dfl} call, which builds):
 * {@code java -cp "spark/target/test-classes:cli/target/classes:$(cat spark/target/classpath.txt):$(cat cli/target/classpath.txt)"
 * dfl.spark.bench.BatchBench PROGRAM.dfl NAME=PATH [--seed S] [--particles K] [--steps T] [--group B] [--pairs N [--slots S]]};
 * with {@code --pairs N} only {@code dfl batch --group 1} and {@code --group B} run, in N alternating pairs.
 */
public final class BatchBench {

    /** The dfl launcher (property dfl.launcher, default ./dfl). */
    private static final String LAUNCHER = System.getProperty("dfl.launcher", "./dfl");

    private BatchBench() {}

    public static void main(String[] args) throws Exception {
        Path program = Path.of(args[0]);
        String name = args[1].substring(0, args[1].indexOf('='));
        String spec = args[1].substring(args[1].indexOf('=') + 1);
        long seed = option(args, "--seed", 0);
        int particles = (int) option(args, "--particles", 0);
        int steps = (int) option(args, "--steps", 0);
        int group = (int) option(args, "--group", DflBatch.AUTO_MAX_GROUP);
        int pairs = (int) option(args, "--pairs", 0);
        List<String> sizes = new ArrayList<>();
        if (particles > 0) sizes.addAll(List.of("--particles", String.valueOf(particles)));
        if (steps > 0) sizes.addAll(List.of("--steps", String.valueOf(steps)));
        Path cwd = Path.of("").toAbsolutePath();
        List<Row> obs = ObservationSource.list(spec, cwd);
        int n = obs.size();
        DflBatch.Builder bb = DflBatch.builder(program, name).optSeed(seed).optGroup(group);
        if (particles > 0) bb.optParticles(particles);
        if (steps > 0) bb.optSteps(steps);
        DflBatch batch = bb.build();
        System.out.printf(Locale.ROOT, "%s over %d observations of %s (%s, K = %d, T = %d, B = %d: %s), seed %d, load average %s%n", program,
                n, spec, batch.model().plan().sampler().name(), batch.sizes()[0], batch.sizes()[1], group,
                batch.whyNotBatched().orElse("batched"), seed, loadAverage());

        Path tmp = Files.createTempDirectory("dfl-bench");
        if (pairs > 0) {
            pairs(program, args[1], cwd, tmp, seed, (int) option(args, "--slots", 2), group, pairs, sizes, n);
            return;
        }
        // 1. a shell loop of ./dfl run: each observation written as a .npy beside a copy of the program that loads it
        String text = Files.readString(program);
        double loop = time(() -> {
            for (Row r : obs) {
                String id = r.getString(0);
                Path data = tmp.resolve("obs-" + r.getLong(1) + ".npy");
                dfl.runtime.output.Npy.writeFloat64(data, new long[] {values(r).length}, values(r));
                Path p = tmp.resolve("p.dfl");
                Files.writeString(p, text.replaceFirst("(?m)^\\s*" + name + "\\s*=\\s*[^;]*;", name + " = load(\"" + data + "\");"));
                List<String> cmd = new ArrayList<>(List.of(LAUNCHER, "run", p.toString(), "--seed", String.valueOf(ObservationSeeds.of(seed, id)),
                        "--quiet", "--out", tmp.resolve("run").toString()));
                cmd.addAll(sizes);
                process(cwd, cmd.toArray(String[]::new));
            }
        });
        // 2. the embedding API in this JVM
        DflModel model = Dfl.compile(program);
        double api = time(() -> {
            for (Row r : obs) {
                try (SamplerRun run = sized(model.bind(name, values(r)).sampler(), particles, steps)
                        .optSeed(ObservationSeeds.of(seed, r.getString(0))).build()) {
                    run.run();
                }
            }
        });
        double pooled;
        double pooledGroups;
        try (Networks nets = new Networks()) {
            pooled = time(() -> {
                for (Row r : obs) {
                    try (SamplerRun run = sized(model.bind(name, values(r)).sampler(), particles, steps).optNetworks(nets)
                            .optSeed(ObservationSeeds.of(seed, r.getString(0))).build()) {
                        run.run();
                    }
                }
            });
            // groups of B consecutive observations, each group one runEach (B·K particles per network call)
            pooledGroups = batch.whyNotBatched().isPresent() ? Double.NaN : time(() -> {
                for (int g = 0; g < n; g += group) {
                    List<Row> rows = obs.subList(g, Math.min(n, g + group));
                    try (SamplerRun run = sized(model.sampler(), particles, steps).optNetworks(nets).build()) {
                        run.runEach(name, rows.stream().map(BatchBench::values).toList(),
                                rows.stream().mapToLong(r -> ObservationSeeds.of(seed, r.getString(0))).toArray());
                    }
                }
            });
        }
        // 3. dfl batch as a process, local[1] and local[2], each observation by itself (--group 1) and in groups of B
        System.out.printf(Locale.ROOT, "| way | seconds | observations per second | vs shell loop | vs API (pool) |%n|---|---|---|---|---|%n");
        row("shell loop of ./dfl run (a JVM each)", loop, n, loop, pooled);
        row("embedding API, one JVM, networks loaded per run", api, n, loop, pooled);
        row("embedding API, one JVM, Networks pool", pooled, n, loop, pooled);
        row("embedding API, one JVM, Networks pool, runEach over groups of " + group + " (K·B)", pooledGroups, n, loop, pooled);
        StringBuilder own = new StringBuilder("runs alone, as dfl batch reports them:");
        for (int g : new int[] {1, group}) {
            for (int slots = 1; slots <= 2; slots++) {
                double[] r = batch(program, args[1], cwd, tmp, seed, slots, g, sizes);
                row("./dfl batch --master local[" + slots + "] --group " + g + " (JVM and Spark start included)", r[0], n, loop, pooled);
                own.append(String.format(Locale.ROOT, " local[%d] --group %d: %.3f/s;", slots, g, r[1]));
            }
        }
        System.out.println(own);
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    /**
     * {@code --pairs N}: only {@code dfl batch --master local[SLOTS]}, {@code --group 1} and {@code --group B} in turn, N
     * pairs, so that a load that changes during the bench falls on both alike; prints each run and the means.
     */
    private static void pairs(Path program, String data, Path cwd, Path tmp, long seed, int slots, int group, int pairs, List<String> sizes,
            int n) throws Exception {
        System.out.printf(Locale.ROOT, "| pair | --group | seconds (end to end) | obs/s end to end | obs/s of the runs (as reported) | load |%n"
                + "|---|---|---|---|---|---|%n");
        double[][] sum = new double[2][2];
        for (int p = 1; p <= pairs; p++) {
            for (int i = 0; i < 2; i++) {
                int g = i == 0 ? 1 : group;
                double[] r = batch(program, data, cwd, tmp, seed, slots, g, sizes);
                sum[i][0] += n / r[0];
                sum[i][1] += r[1];
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f | %.3f | %.3f | %s |%n", p, g, r[0], n / r[0], r[1], loadAverage());
            }
        }
        System.out.printf(Locale.ROOT, "means over %d pairs, local[%d]: --group 1 %.3f obs/s end to end, %.3f of the runs; --group %d %.3f and %.3f "
                + "(ratio %.2f and %.2f)%n", pairs, slots, sum[0][0] / pairs, sum[0][1] / pairs, group, sum[1][0] / pairs, sum[1][1] / pairs,
                sum[1][0] / sum[0][0], sum[1][1] / sum[0][1]);
    }

    /** One {@code ./dfl batch} process: its seconds end to end and the rate it reports for its runs. */
    private static double[] batch(Path program, String data, Path cwd, Path tmp, long seed, int slots, int g, List<String> sizes)
            throws Exception {
        Path out = Files.createTempDirectory(tmp, "batch" + slots + "-" + g + "-");
        Files.delete(out);
        List<String> cmd = new ArrayList<>(List.of(LAUNCHER, "batch", program.toString(), "--data", data, "--out", out.toString(),
                "--seed", String.valueOf(seed), "--master", "local[" + slots + "]", "--group", String.valueOf(g), "--grids", "0",
                "--conf", "spark.ui.enabled=false"));
        cmd.addAll(sizes);
        String[] printed = new String[1];
        double wall = time(() -> printed[0] = process(cwd, cmd.toArray(String[]::new)));
        return new double[] {wall, Double.parseDouble(printed[0].replaceAll("(?s).*\\((\\S+) per second\\).*", "$1"))};
    }

    private static SamplerRun.Builder sized(SamplerRun.Builder b, int particles, int steps) {
        if (particles > 0) b.optParticles(particles);
        if (steps > 0) b.optSteps(steps);
        return b;
    }

    private static long option(String[] args, String name, long dflt) {
        for (int i = 2; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return Long.parseLong(args[i + 1]);
        }
        return dflt;
    }

    private static void row(String way, double seconds, int n, double loop, double api) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.3f | %.2f× | %.2f× |%n", way, seconds, n / seconds, loop / seconds, api / seconds);
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
