package dfl.cli;

import dfl.stdlib.mnist.Train;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code dfl train diffusion|classifier --data DIR --out DIR ...}: trains the shipped MNIST models with DFL's
 * own code (resumable checkpoints, fixed seed). The options are those of {@link Train}; see the model card.
 */
@Command(name = "train", description = {
        "Train the MNIST diffusion model or classifier (resumable; see stdlib/src/main/resources/dfl/stdlib/models/MODEL_CARD.md).",
        "Usage: dfl train diffusion|classifier --data DIR --out DIR [--steps N] [--seed S] [--resume] [--eval]",
        "       [--ckpt DIR] [--batch B] [--lr X] [--warmup N] [--ema D] [--ckpt-minutes M] [--max-minutes M]"})
final class TrainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "diffusion or classifier")
    String what;

    @Unmatched
    List<String> rest = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(what);
        argv.addAll(rest);
        // Train owns its option parsing, progress lines and exit status (0 done, 3 time limit reached, 64 usage)
        Train.main(argv.toArray(String[]::new));
        return ExitCodes.OK;
    }
}
