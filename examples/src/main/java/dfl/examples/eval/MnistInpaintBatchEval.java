package dfl.examples.eval;

import ai.djl.ndarray.NDManager;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistIdx;
import dfl.models.mnist.MnistModels;
import dfl.runtime.output.Npy;
import dfl.spark.BatchSchema;
import dfl.spark.DflBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The inpainting table of docs/mnist.md over many test digits in one command, on {@code dfl batch}'s machinery
 * ({@link DflBatch}, {@link dfl.spark.BatchJob}): writes the observed top halves of the digits to {@code DIR/observations.npy}
 * ([N, 1, 28, 28], row n is test digit n·⌊2004/N⌋), runs the program of {@link MnistInpaintEval} once per digit and per
 * sampler into {@code DIR/S/} (S the sampler's number in the list, from 1), then scores every digit's samples with the
 * evaluation classifier as {@link MnistInpaintEval} does and prints the table rows, each mean with its standard error.
 * A run that is interrupted goes on where it stopped when started again (finished observations are kept); with
 * {@code --score-only} the digits finished so far are scored.
 *
 * <p>Run from the repository root (Spark's jars on the classpath):
 * {@code java -cp "cli/target/classes:$(cat spark/target/classpath.txt):$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistInpaintBatchEval --digits 200 --out out/inpaint200 "tds(particles = 16)"}.
 */
@Command(name = "MnistInpaintBatchEval", mixinStandardHelpOptions = true,
        description = "Inpainting of the top half of MNIST test digits with dfl batch, scored by the evaluation classifier.")
public final class MnistInpaintBatchEval implements Callable<Integer> {

    @Option(names = "--steps", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--digits", description = "test digits, spread over the test split (default ${DEFAULT-VALUE})")
    int digits = 200;

    @Option(names = "--seed", description = "the batch seed S; digit n runs with seed(S, \"n\") as in dfl batch (default ${DEFAULT-VALUE})")
    long seed = 2000;

    @Option(names = "--data", description = "the folder with the MNIST IDX files (default ${DEFAULT-VALUE})")
    Path data = Path.of("../shared/data/mnist");

    @Option(names = "--out", required = true, description = "the working folder: observations and one dfl batch output per sampler")
    Path out;

    @Option(names = "--master", description = "Spark's master (default ${DEFAULT-VALUE})")
    String master = "local[2]";

    @Option(names = "--group", description = "observations whose runs share every network call, as dfl batch --group (default 0: auto, one digit per call on the U-Net)")
    int group = DflBatch.AUTO_GROUP;

    @Option(names = "--score-only", description = "score what the batches have finished so far, run nothing")
    boolean scoreOnly;

    @Parameters(paramLabel = "SAMPLER", description = "samplers, e.g. \"tds(particles = 16)\" (default ${DEFAULT-VALUE})")
    List<String> samplers = new ArrayList<>(List.of("tds(particles = 16)"));

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistInpaintBatchEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        MnistIdx.Data test = MnistIdx.load(data, MnistIdx.Split.TEST);
        int stride = test.n() / digits;
        Files.createDirectories(out);
        Path observations = out.resolve("observations.npy");
        if (!scoreOnly && !Files.exists(observations)) {
            float[] y = new float[digits * 784];
            for (int n = 0; n < digits; n++) System.arraycopy(MnistInpaintEval.observed(truth(test, n * stride)), 0, y, n * 784, 784);
            Npy.writeFloat32(observations, new long[] {digits, 1, 28, 28}, y);
        }
        List<String> rows = new ArrayList<>();
        for (int s = 0; s < samplers.size(); s++) {
            Path dir = out.resolve(String.valueOf(s + 1));
            String sampler = samplers.get(s);
            if (!scoreOnly) {
                DflBatch batch = DflBatch.builder(MnistInpaintEval.program(sampler, steps), "inpaint-eval.dfl", "y").optSeed(seed)
                        .optGroup(group).build();
                BatchRows.run(batch, observations, master, dir);
            }
            rows.add(score(sampler, dir, test, stride));
        }
        System.out.printf(Locale.ROOT, "Inpainting the top half of %d test digits (every %d-th), sigma = 0.05, T = %d, batch seed %d%n",
                digits, stride, steps, seed);
        System.out.println("| sampler | digits | observed RMSE ± s.e. | hidden RMSE ± s.e. | plausibility (true label) | ± s.e. | eval confidence | seconds per digit |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private static float[] truth(MnistIdx.Data test, int idx) {
        float[] t = new float[784];
        System.arraycopy(test.images(), idx * 784, t, 0, 784);
        return t;
    }

    /**
     * One table row from the results in {@code dir} (or, for an unfinished batch, its finished chunks); seconds per digit
     * are the mean of the runs' own times (two at a time with local[2]).
     */
    private static String score(String sampler, Path dir, MnistIdx.Data test, int stride) throws IOException {
        List<Row> rows = BatchRows.read(dir, "id", "status", "samples", "weights", "seconds");
        if (rows == null) return "| " + sampler + " | 0 | (no results in " + dir + ") | | | | | |";
        RunMean obs = new RunMean(), hid = new RunMean(), plaus = new RunMean(), conf = new RunMean(), secs = new RunMean();
        int failed = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            for (Row r : rows) {
                if (!BatchSchema.OK.equals(r.getString(1))) {
                    failed++;
                    continue;
                }
                int idx = Integer.parseInt(r.getString(0)) * stride;
                float[][] xs = BatchSchema.samples(r, 2);
                double[] w = BatchSchema.doubles(r, 3);
                float[] truth = truth(test, idx);
                double[] e = MnistInpaintEval.rmse(xs, w, truth);
                obs.add(e[0]);
                hid.add(e[1]);
                double[] s = MnistInpaintEval.score(eval, manager, xs, w, test.labels()[idx]);
                plaus.add(s[0]);
                conf.add(s[1]);
                secs.add(r.getDouble(4));
            }
        }
        return String.format(Locale.ROOT, "| %s | %d%s | %.3f ± %.3f | %.3f ± %.3f | %.3f | %.3f | %.3f | %.1f |", sampler, plaus.count(),
                failed > 0 ? " (" + failed + " failed)" : "", obs.mean(), obs.standardError(), hid.mean(), hid.standardError(),
                plaus.mean(), plaus.standardError(), conf.mean(), secs.mean());
    }
}
