package dfl.examples.eval;

import ai.djl.ndarray.NDManager;
import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistModels;
import dfl.plan.PlanPrinter;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Classifier-free guidance with the shipped class-conditional MNIST network, scored by the evaluation classifier
 * (trained on the test split only): for each guidance weight w and label k, {@code compose cond^w * uncond^(1 - w)}
 * with {@code cond = diffusion("mnist", cond = k)}, {@code uncond = diffusion("mnist", cond = null)} is sampled by
 * annealed MCMC (exact for the composed density as levels grow) and by {@code cfg_reverse} (the usual guided reverse
 * process, not exact). Per run: the weighted accuracy Σ w_i [argmax eval(x_i) = k] and the number of distinct samples
 * (particles that are not copies of one another after resampling). This is docs/mnist.md's guidance table.
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistGuidanceEval --weights 1,2,4 --labels 0123456789}
 */
@Command(name = "MnistGuidanceEval", mixinStandardHelpOptions = true,
        description = "Classifier-free guidance on MNIST: annealed MCMC against cfg_reverse, scored by the evaluation classifier.")
public final class MnistGuidanceEval implements Callable<Integer> {

    @Option(names = "--weights", split = ",", description = "guidance weights w (default ${DEFAULT-VALUE})")
    List<Double> weights = List.of(1.0, 2.0, 4.0);

    @Option(names = "--labels", description = "digits to condition on (default ${DEFAULT-VALUE})")
    String labels = "0123456789";

    @Option(names = "--seed", description = "seed of every run (default ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--samplers", split = ";", description = "samplers, separated by ';' (default ${DEFAULT-VALUE})")
    List<String> samplers = List.of("annealed(particles = 16, levels = 50, steps_per_level = 2)", "cfg_reverse(particles = 16)");

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistGuidanceEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        System.out.printf(Locale.ROOT, "| w | sampler | weighted accuracy | ± s.e. | distinct of 16 | runs | seconds per run |%n"
                + "|---|---|---|---|---|---|---|%n");
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            for (double w : weights) {
                for (String sampler : samplers) {
                    RunMean accuracy = new RunMean();
                    double seconds = 0, distinct = 0;
                    for (char c : labels.toCharArray()) {
                        int label = c - '0';
                        DflModel m = Dfl.compile("cond = diffusion(\"mnist\", cond = " + label + ");\nuncond = diffusion(\"mnist\", cond = null);\n"
                                + "w = " + w + ";\ncompose cond^w * uncond^(1 - w);\nsample x with " + sampler + ";\n", "cfg" + label);
                        long t0 = System.nanoTime();
                        Result r;
                        try (SamplerRun run = m.sampler().optSeed(seed).build()) {
                            r = run.run();
                        }
                        seconds += (System.nanoTime() - t0) * 1e-9;
                        accuracy.add(MnistConditionalEval.weightedAccuracy(eval, manager, r, label));
                        distinct += r.distinctSamples();
                    }
                    int runs = accuracy.count();
                    System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.1f | %d | %.1f |%n", PlanPrinter.num(w), sampler,
                            accuracy.mean(), accuracy.standardError(), distinct / runs, runs, seconds / runs);
                }
            }
        }
        return 0;
    }

}
