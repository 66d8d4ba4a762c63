package dfl.examples.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistIdx;
import dfl.models.mnist.MnistModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Inpainting on MNIST test digits (never seen in training of the diffusion model or the guidance classifier):
 * the top half of each digit is observed through {@code mask("top-half")} with noise σ and the bottom half is
 * sampled. Per sampler, averaged over digits (each digit's samples weighted by their normalised weights):
 * <ul>
 *   <li>observed RMSE: root mean square difference between the samples and the true digit on the observed half
 *       (how well the samples honour the data; σ is the floor a perfect fit to noisy data would show, here the
 *       data are the noise-free digit, so smaller is better);
 *   <li>hidden RMSE: the same on the hidden half (one of many plausible completions, so only indicative);
 *   <li>plausibility: the weighted probability that the evaluation classifier (trained on the test split, never
 *       used for sampling) gives the completed image the true digit's label (argmax), and its mean confidence in
 *       its own top class;
 *   <li>distinct outputs among the first {@code --outputs} equal-weight draws ({@link Distinctness}): bitwise distinct (mean over digits) and
 *       distinct completions, whose hidden halves differ by more than {@code --distinct-rmse} in RMS (mean and minimum
 *       over digits).
 * </ul>
 * Run (from the repository root, after a build):
 * {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistInpaintEval --steps 100 --digits 20 [SAMPLER...]} ({@code --help} lists the options).
 */
@Command(name = "MnistInpaintEval", mixinStandardHelpOptions = true,
        description = "Inpainting of the top half of MNIST test digits, scored by the evaluation classifier.")
public final class MnistInpaintEval implements Callable<Integer> {

    private static final double SIGMA = 0.05;

    @Option(names = "--steps", description = "sampling steps (default ${DEFAULT-VALUE})")
    int steps = 100;

    @Option(names = "--digits", description = "test digits, spread over the test split (default ${DEFAULT-VALUE})")
    int digits = 20;

    @Option(names = "--data", description = "the folder with the MNIST IDX files (default ${DEFAULT-VALUE})")
    Path data = Path.of("../shared/data/mnist");

    @Mixin
    Distinctness.Options distinctOptions = new Distinctness.Options();

    @Parameters(paramLabel = "SAMPLER", description = "samplers to compare, e.g. \"tds(particles = 16)\" (default: TDS, its replacement variant, DPS and reverse)")
    List<String> samplers = new ArrayList<>(List.of("tds(particles = 16)", "tds(particles = 16, variant = \"replacement\")",
            "dps(particles = 16, scale = 1)", "reverse(particles = 16)"));

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistInpaintEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        MnistIdx.Data test = MnistIdx.load(data, MnistIdx.Split.TEST);
        System.out.printf(Locale.ROOT, "Inpainting the top half of %d test digits, sigma = %.2f, T = %d%n", digits, SIGMA, steps);
        System.out.printf(Locale.ROOT, "| sampler | observed RMSE | hidden RMSE | plausibility (true label) | ± s.e. | eval confidence | seconds per digit "
                + "| distinct draws | distinct completions | min distinct completions |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|---|---|---|---|---|---|---|%n");
        boolean[] hidden = Distinctness.hiddenOf("top-half");
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            for (String sampler : samplers) {
                DflModel model = Dfl.compile(program(sampler, steps), "inpaint-eval");
                double obs = 0, hid = 0, conf = 0, seconds = 0;
                RunMean plausibility = new RunMean();
                Distinctness.Tally distinct = new Distinctness.Tally();
                for (int n = 0; n < digits; n++) {
                    // spread the digits over the test split so every class appears
                    int idx = n * (test.n() / digits);
                    float[] truth = new float[784];
                    System.arraycopy(test.images(), idx * 784, truth, 0, 784);
                    float[] y = observed(truth);
                    long t0 = System.nanoTime();
                    Result r;
                    try (SamplerRun run = model.bind("y", y).sampler().optParticles(model.plan().sampler().particles())
                            .optSeed(2000 + n).build()) {
                        r = run.run();
                    }
                    seconds += (System.nanoTime() - t0) * 1e-9;
                    double[] rmse = rmse(r.samples(), r.weights(), truth);
                    obs += rmse[0];
                    hid += rmse[1];
                    double[] scored = score(eval, manager, r.samples(), r.weights(), test.labels()[idx]);
                    plausibility.add(scored[0]);
                    conf += scored[1];
                    distinct.add(distinctOptions.of(r.draws(), hidden));
                }
                System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f | %s |%n", sampler, obs / digits,
                        hid / digits, plausibility.mean(), plausibility.standardError(), conf / digits, seconds / digits,
                        distinct.cells());
            }
        }
        return 0;
    }

    /** The inpainting program: y (the top half of a digit) observed through the mask with σ, sampled by {@code sampler} in {@code steps}. */
    static String program(String sampler, int steps) {
        return "prior = diffusion(\"mnist\");\ny = load(\"observed.npy\", shape = [1, 28, 28]);\n"
                + "M = mask(\"top-half\", 28, 28);\nG(x) = M * x;\nobserve y ~ Normal(G(x), " + SIGMA + ");\n"
                + "sample x with " + sampler.replace(")", ", steps = " + steps + ")") + ";\n";
    }

    /** The observed (top) half of {@code truth}: the data y = M ⊙ x of the inpainting program. */
    static float[] observed(float[] truth) {
        float[] y = new float[784];
        System.arraycopy(truth, 0, y, 0, 392);
        return y;
    }

    /** {observed RMSE, hidden RMSE} of weighted samples {@code xs} against {@code truth} (top half observed). */
    static double[] rmse(float[][] xs, double[] w, float[] truth) {
        double o = 0, h = 0;
        for (int p = 0; p < xs.length; p++) {
            double so = 0, sh = 0;
            for (int i = 0; i < 784; i++) {
                double e = xs[p][i] - truth[i];
                if (i < 392) so += e * e;
                else sh += e * e;
            }
            o += w[p] * so / 392;
            h += w[p] * sh / 392;
        }
        return new double[] {Math.sqrt(o), Math.sqrt(h)};
    }

    /** {Σ w_i [argmax = label], Σ w_i max softmax} under the evaluation classifier. */
    static double[] score(MnistClassifier eval, NDManager manager, float[][] xs, double[] w, int label) {
        float[] flat = new float[xs.length * 784];
        for (int i = 0; i < xs.length; i++) System.arraycopy(xs[i], 0, flat, i * 784, 784);
        try (NDManager sub = manager.newSubManager()) {
            NDArray p = eval.logits(sub.create(flat, new Shape(xs.length, 1, 28, 28))).softmax(1);
            long[] top = p.argMax(1).toLongArray();
            float[] max = p.max(new int[] {1}).toFloatArray();
            double acc = 0, conf = 0;
            for (int i = 0; i < top.length; i++) {
                if (top[i] == label) acc += w[i];
                conf += w[i] * max[i];
            }
            return new double[] {acc, conf};
        }
    }
}
