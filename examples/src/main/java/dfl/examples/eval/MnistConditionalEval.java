package dfl.examples.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistModels;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Class-conditional generation on MNIST, scored by the evaluation classifier (trained on the test split only,
 * never used for guidance): for each label and seed, {@code compose prior * clf^1} is sampled with TDS at
 * K = 1, 2, 4, 8, 16, with DPS and with plain guidance (reverse diffusion plus the classifier's gradient), and the
 * weighted accuracy Σ w_i [argmax eval(x_i) = label] is averaged. This is the table for docs/mnist.md.
 *
 * <p>Run (from the repository root, after a build):
 * {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistConditionalEval --steps 100 --seeds 5 --labels 0123456789}; seeds are {@code --first-seed}
 * (default 1000) onwards, so two processes with different first seeds split the runs between cores.
 */
@Command(name = "MnistConditionalEval", mixinStandardHelpOptions = true,
        description = "Class-conditional MNIST generation (TDS at K = 1..16, DPS, guidance), scored by the evaluation classifier.")
public final class MnistConditionalEval implements Callable<Integer> {

    @Option(names = "--steps", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--seeds", description = "seeds per label and sampler (default ${DEFAULT-VALUE})")
    int seeds = 3;

    @Option(names = "--labels", description = "the digits to generate, e.g. 0123456789 (default ${DEFAULT-VALUE})")
    String labels = "0123456789";

    @Option(names = "--first-seed", description = "the first seed (default ${DEFAULT-VALUE})")
    int firstSeed = 1000;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistConditionalEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        if (!labels.matches("[0-9]+")) throw new CommandLine.ParameterException(new CommandLine(this), "--labels takes digits, e.g. 0123456789");
        String[] samplers = {"tds(particles = 1)", "tds(particles = 2)", "tds(particles = 4)", "tds(particles = 8)",
                "tds(particles = 16)", "dps(particles = 16, scale = 1)", "reverse(particles = 16)"};
        System.out.printf(Locale.ROOT, "| sampler | weighted accuracy | ± s.e. | runs | seconds per run |%n|---|---|---|---|---|%n");
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            for (String sampler : samplers) {
                RunMean accuracy = new RunMean();
                double seconds = 0;
                for (char c : labels.toCharArray()) {
                    int label = c - '0';
                    DflModel m = Dfl.compile("prior = diffusion(\"mnist\");\nclf = classifier(\"mnist\", label = " + label
                            + ");\ncompose prior * clf;\nsample x with " + sampler.replace(")", ", steps = " + steps + ")") + ";\n",
                            "class" + label);
                    for (int s = 0; s < seeds; s++) {
                        long t0 = System.nanoTime();
                        Result r;
                        try (SamplerRun run = m.sampler().optParticles(m.plan().sampler().particles()).optSeed(firstSeed + s).build()) {
                            r = run.run();
                        }
                        seconds += (System.nanoTime() - t0) * 1e-9;
                        accuracy.add(weightedAccuracy(eval, manager, r, label));
                    }
                }
                int runs = accuracy.count();
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %d | %.1f |%n", sampler, accuracy.mean(), accuracy.standardError(), runs,
                        seconds / runs);
            }
        }
        return 0;
    }

    /** Σ_i w_i [the evaluation classifier's top class for sample i is {@code label}]. */
    static double weightedAccuracy(MnistClassifier eval, NDManager manager, Result r, int label) {
        return weightedAccuracy(eval, manager, r.samples(), r.weights(), label);
    }

    /** Σ_i w_i [the evaluation classifier's top class for sample {@code xs[i]} is {@code label}]. */
    static double weightedAccuracy(MnistClassifier eval, NDManager manager, float[][] xs, double[] w, int label) {
        float[] flat = new float[xs.length * 784];
        for (int i = 0; i < xs.length; i++) System.arraycopy(xs[i], 0, flat, i * 784, 784);
        try (NDManager sub = manager.newSubManager()) {
            NDArray logits = eval.logits(sub.create(flat, new Shape(xs.length, 1, 28, 28)));
            long[] top = logits.argMax(1).toLongArray();
            double acc = 0;
            for (int i = 0; i < top.length; i++) if (top[i] == label) acc += w[i];
            return acc;
        }
    }
}
