package dfl.examples.eval;

import ai.djl.ndarray.NDManager;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistModels;
import dfl.runtime.output.Npy;
import dfl.spark.BatchSchema;
import dfl.spark.DflBatch;
import dfl.stdlib.runtime.DataFiles;
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
 * The class-conditional table of docs/mnist.md in one command, on {@code dfl batch}'s machinery: {@code label} is a
 * number binding of the program ({@code label = 0; clf = classifier("mnist", label = label);}), and each observation of
 * the batch is a label ({@code DIR/labels.npy}: observation n is label n mod 10, so {@code --runs} per label), compiled
 * into that observation's program as {@code dfl run --set label=k} would. Each sampler is its own batch in
 * {@code DIR/S/} (S its number in the list, from 1); each run is scored by its weighted accuracy under the evaluation
 * classifier, Σᵢ wᵢ [argmax eval(xᵢ) = label], as {@link MnistConditionalEval} does, and every row is a mean over runs
 * with its standard error. A stopped evaluation goes on from its finished chunks when started again; with
 * {@code --score-only} what is finished so far is scored. Observation n runs with seed(S, "n") (batch seed S).
 *
 * <p>Run from the repository root (Spark's jars on the classpath):
 * {@code java -cp "cli/target/classes:$(cat spark/target/classpath.txt):$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistConditionalBatchEval --runs 10 --out out/class100 "tds(particles = 16)"}.
 */
@Command(name = "MnistConditionalBatchEval", mixinStandardHelpOptions = true,
        description = "Class-conditional MNIST generation over labels with dfl batch, scored by the evaluation classifier.")
public final class MnistConditionalBatchEval implements Callable<Integer> {

    /** The program of one run; {@code label} is replaced per observation. */
    static String program(String sampler, int steps) {
        return "prior = diffusion(\"mnist\");\nlabel = 0;\nclf = classifier(\"mnist\", label = label);\ncompose prior * clf;\n"
                + "sample x with " + sampler.replace(")", ", steps = " + steps + ")") + ";\n";
    }

    @Option(names = "--steps", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--runs", description = "runs per label (default ${DEFAULT-VALUE})")
    int runs = 10;

    @Option(names = "--seed", description = "the batch seed S; observation n runs with seed(S, \"n\") as in dfl batch (default ${DEFAULT-VALUE})")
    long seed = 3000;

    @Option(names = "--out", required = true, description = "the working folder: labels.npy and one dfl batch output per sampler")
    Path out;

    @Option(names = "--master", description = "Spark's master (default ${DEFAULT-VALUE})")
    String master = "local[2]";

    @Option(names = "--score-only", description = "score what the batches have finished so far, run nothing")
    boolean scoreOnly;

    @Parameters(paramLabel = "SAMPLER", description = "samplers (default: tds(particles = 16), dps(particles = 16, scale = 1), "
            + "reverse(particles = 16))")
    List<String> samplers = new ArrayList<>(List.of("tds(particles = 16)", "dps(particles = 16, scale = 1)", "reverse(particles = 16)"));

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"); // Spark's INFO lines would bury the table
        System.exit(new CommandLine(new MnistConditionalBatchEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(out);
        Path labels = out.resolve("labels.npy");
        // observation n is label n mod 10, so a longer list keeps the labels (and results) of a shorter one
        if (!Files.exists(labels) || DataFiles.read(labels).length != 10 * runs) {
            float[] l = new float[10 * runs];
            for (int n = 0; n < l.length; n++) l[n] = n % 10;
            Npy.writeFloat32(labels, new long[] {l.length}, l);
        }
        double[] label = DataFiles.read(labels);
        List<String> rows = new ArrayList<>();
        for (int s = 0; s < samplers.size(); s++) {
            Path dir = out.resolve(String.valueOf(s + 1));
            if (!scoreOnly) BatchRows.run(DflBatch.builder(program(samplers.get(s), steps), "class-eval.dfl", "label").optSeed(seed).build(),
                    labels, master, dir);
            rows.add(score(samplers.get(s), dir, label));
        }
        System.out.printf(Locale.ROOT, "Class-conditional generation, labels 0-9, %d observations (%s), T = %d, batch seed %d%n",
                label.length, labels, steps, seed);
        System.out.println("| sampler | weighted accuracy | ± s.e. | runs | seconds per run |");
        System.out.println("|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    /** One table row from the results in {@code dir} (or its finished chunks); seconds per run are the runs' own times. */
    private static String score(String sampler, Path dir, double[] labels) throws IOException {
        List<Row> rows = BatchRows.read(dir, "index", "status", "samples", "weights", "seconds");
        if (rows == null) return "| " + sampler + " | (no results in " + dir + ") | | 0 | |";
        RunMean accuracy = new RunMean(), secs = new RunMean();
        int failed = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            for (Row r : rows) {
                if (!BatchSchema.OK.equals(r.getString(1))) {
                    failed++;
                    continue;
                }
                int label = (int) labels[(int) r.getLong(0)];
                accuracy.add(MnistConditionalEval.weightedAccuracy(eval, manager, BatchSchema.samples(r, 2), BatchSchema.doubles(r, 3), label));
                secs.add(r.getDouble(4));
            }
        }
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %d%s | %.1f |", sampler, accuracy.mean(), accuracy.standardError(),
                accuracy.count(), failed > 0 ? " (" + failed + " failed)" : "", secs.mean());
    }
}
