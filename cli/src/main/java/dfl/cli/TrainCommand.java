package dfl.cli;

import dfl.models.mnist.Train;
import dfl.models.mnist.TrainOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dfl train diffusion|classifier --data DIR --out DIR ...}: trains the shipped MNIST models with DFL's own code
 * (resumable checkpoints, fixed seed). Picocli parses the options ({@link TrainOptions}, shared with the training
 * scripts' {@code Train} entry); {@link Train.Builder} holds the defaults and checks them. Exit status: 0 finished,
 * 3 stopped by {@code --max-minutes} after a checkpoint, 64 usage.
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

    /** {@code dfl train diffusion}. */
    @Command(name = "diffusion", description = "Train the MNIST diffusion U-Net.", mixinStandardHelpOptions = true, versionProvider = Version.class)
    int diffusion(@Mixin TrainOptions options, @Mixin TrainOptions.ConditionalOptions conditional) throws Exception {
        return train(conditional.apply(options.builder("diffusion")));
    }

    /** {@code dfl train classifier [--eval]}. */
    @Command(name = "classifier", description = "Train the guidance classifier, or with --eval the evaluation classifier (on the test split).",
            mixinStandardHelpOptions = true, versionProvider = Version.class)
    int classifier(@Mixin TrainOptions options,
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
