package dfl.examples.eval;

import ai.djl.ndarray.NDManager;
import dfl.api.Dfl;
import dfl.api.DflModel;
import dfl.api.Result;
import dfl.api.SamplerRun;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistModels;
import dfl.source.SourceFile;
import dfl.stdlib.runtime.DataFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs one MNIST program (e.g. {@code examples/mnist/card.dfl}) over several seeds, with its own sampler and with others
 * put in its {@code sample ... with} statement, and scores every run: the weighted share of samples that the evaluation
 * classifier (trained on the test split, never used for sampling) labels as {@code --label}, with {@code --observation} how
 * closely the samples follow the observed pixels (observed RMSE), and the distinct outputs
 * among the equal-weight draws ({@link Distinctness}: bitwise, and completions whose hidden pixels differ by more than
 * {@code --distinct-rmse} in RMS). All samplers run in one process, in turn per seed after an untimed warm-up run, so their times are
 * comparable (the last column divides by the program's own sampler's time).
 *
 * <p>Run from the repository root after a build:
 * {@code java -cp "cli/target/classes:$(cat cli/target/classpath.txt):examples/target/classes"
 * dfl.examples.eval.MnistProgramEval examples/mnist/card.dfl --label 3 --observed-mask left-half
 * --observation examples/mnist/data/left-half-3.png --seeds 1,2,3
 * "tds(particles = 4, runs = 4, steps = 100)"}
 */
@Command(name = "MnistProgramEval", mixinStandardHelpOptions = true,
        description = "Runs an MNIST program over seeds with its own and other samplers; scores label share and distinct outputs.")
public final class MnistProgramEval implements Callable<Integer> {

    /** The sampler of the program's sample statement: {@code sample NAME with SAMPLER [into ...];}. */
    private static final Pattern SAMPLE = Pattern.compile("(?m)^(\\s*sample\\s+\\S+\\s+with\\s+)(\\w+\\s*\\([^)]*\\))");

    @Parameters(index = "0", paramLabel = "FILE", description = "the .dfl program")
    Path program;

    @Parameters(index = "1..*", paramLabel = "SAMPLER", description = "samplers to put in the program's sample statement "
            + "besides its own, e.g. \"tds(particles = 4, runs = 4, steps = 100)\"")
    List<String> samplers = new ArrayList<>();

    @Option(names = "--skip-own", description = "run only the listed samplers, not the program's own (the first listed is "
            + "then the time ratio's reference)")
    boolean skipOwn;

    @Option(names = "--label", required = true, description = "the digit the program should produce")
    int label;

    @Option(names = "--observed-mask", description = "the program's observed half (top-half, bottom-half, left-half, "
            + "right-half; none compares whole images) (default ${DEFAULT-VALUE})")
    String observedMask = "none";

    @Option(names = "--observation", description = "the program's observed image (e.g. its y), for the observed RMSE: the "
            + "weighted RMS difference between the samples and it on the observed pixels")
    Path observation;

    @Option(names = "--seeds", split = ",", description = "seeds (default ${DEFAULT-VALUE})")
    List<Long> seeds = List.of(1L, 2L, 3L);

    @Mixin
    Distinctness.Options distinctOptions = new Distinctness.Options();

    public static void main(String[] args) {
        System.exit(new CommandLine(new MnistProgramEval()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        String text = Files.readString(program, StandardCharsets.UTF_8);
        Matcher m = SAMPLE.matcher(text);
        if (!m.find()) throw new CommandLine.ParameterException(new CommandLine(this), program + " has no 'sample ... with SAMPLER(...)'");
        List<String> all = new ArrayList<>();
        if (!skipOwn) all.add(m.group(2));
        all.addAll(samplers);
        if (all.isEmpty()) throw new CommandLine.ParameterException(new CommandLine(this), "--skip-own needs samplers to run");
        List<DflModel> models = new ArrayList<>();
        for (String s : all) {
            String source = text.substring(0, m.start(2)) + s + text.substring(m.end(2));
            models.add(Dfl.builder().optModelDir(program.toAbsolutePath().getParent()).compile(new SourceFile(program.toString(), source)));
        }
        boolean[] hidden = Distinctness.hiddenOf(observedMask);
        if (observation != null && observedMask.equals("none")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--observation needs --observed-mask (which pixels it shows)");
        }
        double[] y = observation == null ? null : DataFiles.read(observation, 784);
        List<RunMean> share = new ArrayList<>();
        List<RunMean> fit = new ArrayList<>();
        List<Distinctness.Tally> distinct = new ArrayList<>();
        double[] seconds = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            share.add(new RunMean());
            fit.add(new RunMean());
            distinct.add(new Distinctness.Tally());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            MnistClassifier eval = MnistModels.loadClassifier(manager, true);
            try (SamplerRun warmUp = models.get(0).sampler().optSteps(5).build()) {
                warmUp.run(); // untimed: loads the networks and warms the JIT, which would otherwise count for the first sampler
            }
            for (long seed : seeds) {
                for (int i = 0; i < all.size(); i++) {
                    long t0 = System.nanoTime();
                    Result r;
                    try (SamplerRun run = models.get(i).sampler().optSeed(seed).build()) {
                        r = run.run();
                    }
                    seconds[i] += (System.nanoTime() - t0) * 1e-9;
                    share.get(i).add(MnistConditionalEval.weightedAccuracy(eval, manager, r, label));
                    if (y != null) fit.get(i).add(observedRmse(r, y, hidden));
                    distinct.get(i).add(distinctOptions.of(r.draws(), hidden));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s, label %d, seeds %s, distinct completions: hidden RMS difference > %s (%s observed)%n",
                program, label, seeds, distinctOptions.distinctRmse, observedMask);
        System.out.printf(Locale.ROOT, "| sampler | weight labelled %d | ± s.e. | observed RMSE | distinct draws | distinct "
                + "completions | min distinct completions | seconds per run | time ratio |%n|---|---|---|---|---|---|---|---|---|%n", label);
        for (int i = 0; i < all.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s | %s | %.1f | %.2f |%n", all.get(i), share.get(i).mean(),
                    share.get(i).standardError(), y == null ? "–" : String.format(Locale.ROOT, "%.3f", fit.get(i).mean()),
                    distinct.get(i).cells(), seconds[i] / seeds.size(), seconds[i] / seconds[0]);
        }
        return 0;
    }

    /** √(Σ_i w_i · mean over the observed pixels of (x_i − y)²): how closely the weighted samples follow the observation. */
    private static double observedRmse(Result r, double[] y, boolean[] hidden) {
        float[][] xs = r.samples();
        double[] w = r.weights();
        double total = 0;
        int n = 0;
        for (boolean h : hidden) if (!h) n++;
        for (int p = 0; p < xs.length; p++) {
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                if (hidden[i]) continue;
                double e = xs[p][i] - y[i];
                s += e * e;
            }
            total += w[p] * s / n;
        }
        return Math.sqrt(total);
    }
}
