package dfl.cli;

import dfl.models.mnist.Train;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfl train diffusion|classifier --data DIR --out DIR ...}: trains the shipped MNIST models with DFL's own code
 * (resumable checkpoints, fixed seed). Picocli parses the options; {@link Train.Builder} holds the defaults and checks
 * them. Exit status: 0 finished, 3 stopped by {@code --max-minutes} after a checkpoint, 64 usage.
 */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = Version.class, description = "Train the MNIST diffusion model or classifier (resumable; see models/src/main/resources/dfl/models/mnist/MODEL_CARD.md).")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a model to train: the usage, and exit 64. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The options both models take; unset ones keep {@link Train.Builder}'s defaults. */
    static final class Options {
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

        Train.Builder builder(String what) {
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
    }

    /** {@code dfl train diffusion}. */
    @Command(name = "diffusion", description = "Train the MNIST diffusion U-Net.", mixinStandardHelpOptions = true, versionProvider = Version.class)
    int diffusion(@Mixin Options options) throws Exception {
        return train(options.builder("diffusion"));
    }

    /** {@code dfl train classifier [--eval]}. */
    @Command(name = "classifier", description = "Train the guidance classifier, or with --eval the evaluation classifier (on the test split).",
            mixinStandardHelpOptions = true, versionProvider = Version.class)
    int classifier(@Mixin Options options,
            @Option(names = "--eval", description = "train the evaluation classifier on the TEST split") boolean eval) throws Exception {
        return train(options.builder("classifier").optEval(eval));
    }

    /** Builds and checks the settings, then trains; a bad combination is a usage error. */
    private int train(Train.Builder b) throws Exception {
        Train.Args args;
        try {
            args = b.build();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("dfl: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return Train.run(args, spec.commandLine().getOut());
    }
}
