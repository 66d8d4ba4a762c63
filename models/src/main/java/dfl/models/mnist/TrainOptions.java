package dfl.models.mnist;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of a training run, parsed by picocli: {@code dfl train diffusion|classifier} (the CLI's TrainCommand mixes
 * them in) and {@link Train#main}, the standalone entry of the training scripts, share them. Unset options keep
 * {@link Train.Builder}'s defaults.
 */
public final class TrainOptions {

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "the folder with the MNIST IDX files")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the weights and their .properties go")
    Path out;

    @Option(names = "--ckpt", paramLabel = "DIR", description = "checkpoint folder (default training/checkpoints/<model>)")
    Path ckpt;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default 200000 diffusion, 1500 classifier)")
    Long steps;

    @Option(names = "--seed", paramLabel = "S", description = "seed (default 0)")
    Long seed;

    @Option(names = "--resume", description = "continue from the last checkpoint")
    boolean resume;

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default 64 diffusion, 128 classifier)")
    Integer batch;

    @Option(names = "--lr", paramLabel = "X", description = "peak learning rate (default 5e-4 diffusion, 1e-3 classifier)")
    Float lr;

    @Option(names = "--warmup", paramLabel = "N", description = "warm-up steps (default 500 diffusion, 100 classifier)")
    Integer warmup;

    @Option(names = "--ema", paramLabel = "D", description = "EMA decay of the weights (default 0.999 diffusion, none classifier)")
    Float ema;

    @Option(names = "--ckpt-minutes", paramLabel = "M", description = "minutes between checkpoints (default 5)")
    Double ckptMinutes;

    @Option(names = "--max-minutes", paramLabel = "M", description = "stop after a checkpoint after M minutes (exit 3; default: no limit)")
    Double maxMinutes;

    @Option(names = "--noise-aug", paramLabel = "P", description = "noise augmentation probability (default 0.3 guidance classifier, else 0)")
    Double noiseAug;

    /** The class-conditional network's options of {@code diffusion} (standalone and {@code dfl train diffusion}). */
    public static final class ConditionalOptions {
        @Option(names = "--conditional", description = "train the class-conditional network mnist-unet-cond (labels 0-9, null label 10)")
        boolean conditional;

        @Option(names = "--label-dropout", paramLabel = "P", description = "probability of replacing a label by the null label (default 0.1)")
        Double labelDropout;

        @Option(names = "--warm-start", paramLabel = "FROM", description = "initial weights: shipped (default: the unconditional network, "
                + "zero label embedding), none, or a folder with mnist-unet.params/.properties")
        String warmStart;

        @Option(names = "--label-lr-scale", paramLabel = "X", description = "learning-rate multiplier of the label embedding "
                + "(default 20 from a warm start, 1 from scratch)")
        Float labelLrScale;

        /** {@code b} with these options set where given. */
        public Train.Builder apply(Train.Builder b) {
            b.optConditional(conditional);
            if (labelDropout != null) b.optLabelDropout(labelDropout);
            if (warmStart != null) b.optWarmStart(warmStart);
            if (labelLrScale != null) b.optLabelLrScale(labelLrScale);
            return b;
        }
    }

    /** The settings of a run of {@code what} ({@code diffusion} or {@code classifier}) with these options. */
    public Train.Builder builder(String what) {
        Train.Builder b = Train.builder(what).setData(data).setOut(out).optResume(resume);
        if (ckpt != null) b.optCkpt(ckpt);
        if (steps != null) b.optSteps(steps);
        if (seed != null) b.optSeed(seed);
        if (batch != null) b.optBatch(batch);
        if (lr != null) b.optLr(lr);
        if (warmup != null) b.optWarmup(warmup);
        if (ema != null) b.optEma(ema);
        if (ckptMinutes != null) b.optCkptMinutes(ckptMinutes);
        if (maxMinutes != null) b.optMaxMinutes(maxMinutes);
        if (noiseAug != null) b.optNoiseAug(noiseAug);
        return b;
    }

    /**
     * Builds and checks the settings, then trains; a bad combination is a usage error (64, the reason on {@code err}).
     * Returns the exit status: 0 finished, {@link Train#EXIT_TIME_LIMIT} paused by {@code --max-minutes}, 64 usage.
     */
    static int train(Train.Builder b, PrintWriter log, PrintWriter err) throws Exception {
        Train.Args args;
        try {
            args = b.build();
        } catch (IllegalArgumentException e) {
            err.println("usage error: " + e.getMessage());
            return 64;
        }
        return Train.run(args, log);
    }

    /** {@link Train#main}: {@code Train diffusion|classifier OPTIONS}, exit status as {@link #train}. */
    static int standalone(String[] argv) {
        return standalone(argv, new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    static int standalone(String[] argv, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Standalone()).setOut(out).setErr(err);
        cl.getCommandSpec().exitCodeOnInvalidInput(64);
        cl.getSubcommands().values().forEach(c -> c.getCommandSpec().exitCodeOnInvalidInput(64));
        return cl.execute(argv);
    }

    /** The training scripts' command line: the same options as {@code dfl train}. */
    @Command(name = "Train", mixinStandardHelpOptions = true, description = "Train the MNIST diffusion model or classifier (resumable).")
    static final class Standalone implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 64;
        }

        @Command(name = "diffusion", mixinStandardHelpOptions = true, description = "Train the MNIST diffusion U-Net.")
        int diffusion(@Mixin TrainOptions o, @Mixin ConditionalOptions c) throws Exception {
            return train(c.apply(o.builder("diffusion")), spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        @Command(name = "classifier", mixinStandardHelpOptions = true, description = "Train the guidance classifier, or with --eval the evaluation classifier.")
        int classifier(@Mixin TrainOptions o, @Option(names = "--eval", description = "train the evaluation classifier on the TEST split") boolean eval)
                throws Exception {
            return train(o.builder("classifier").optEval(eval), spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }
}
