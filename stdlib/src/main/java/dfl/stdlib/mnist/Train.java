package dfl.stdlib.mnist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * Trains the shipped MNIST models.
 *
 * <pre>
 * Train diffusion|classifier --data DIR --out DIR [--steps N] [--seed S] [--resume]
 *       [--eval] [--ckpt DIR] [--batch B] [--lr X] [--warmup N] [--ema D]
 *       [--ckpt-minutes M] [--max-minutes M] [--noise-aug P]
 * </pre>
 *
 * {@code classifier --eval} trains the evaluation classifier on the TEST split (it must never see
 * the training digits); without {@code --eval} the guidance classifier is trained on the TRAIN
 * split. Exit status: 0 finished, 3 stopped by {@code --max-minutes} after a checkpoint (resume
 * with {@code --resume}), 64 usage error.
 */
public final class Train {
    /** Exit status when {@code --max-minutes} ended the run before {@code --steps}. */
    public static final int EXIT_TIME_LIMIT = 3;

    private Train() {}

    /** Parsed command line. */
    record Args(String what, Path data, Path out, long steps, long seed, boolean resume, boolean eval, Path ckpt,
            int batch, float lr, int warmup, float ema, double ckptMinutes, double maxMinutes, double noiseAug) {}

    /**
     * Entry point.
     *
     * @param argv command line, see the class comment
     * @throws Exception on I/O failure
     */
    public static void main(String[] argv) throws Exception {
        Args a;
        try {
            a = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("usage error: " + e.getMessage());
            System.err.println("usage: Train diffusion|classifier --data DIR --out DIR [--steps N] [--seed S] [--resume]"
                    + " [--eval] [--ckpt DIR] [--batch B] [--lr X] [--warmup N] [--ema D] [--ckpt-minutes M]"
                    + " [--max-minutes M] [--noise-aug P]");
            System.exit(64);
            return;
        }
        int status = run(a, System.out);
        System.exit(status);
    }

    /** Runs a parsed command; returns the exit status. */
    static int run(Args a, PrintStream log) throws IOException {
        Files.createDirectories(a.out());
        Engine.getInstance().setRandomSeed((int) a.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            if (a.what().equals("diffusion")) {
                return diffusion(a, manager, log);
            }
            return classifier(a, manager, log);
        }
    }

    private static int diffusion(Args a, NDManager manager, PrintStream log) throws IOException {
        MnistIdx.Data train = MnistIdx.load(a.data(), MnistIdx.Split.TRAIN);
        UNet.Config cfg = UNet.Config.standard();
        DdpmSchedule schedule = DdpmSchedule.standard();
        UNet net = new UNet(cfg);
        net.initialize(manager, DataType.FLOAT32, UNet.inputShapes(a.batch()));
        UNet ema = new UNet(cfg);
        ema.initialize(manager, DataType.FLOAT32, UNet.inputShapes(a.batch()));
        ema.freezeParameters(true);
        log.printf(Locale.ROOT, "diffusion U-Net %s: %d parameters; %d training digits, batch %d, lr %.1e, EMA %.4f, seed %d%n",
                cfg, net.parameterCount(), train.n(), a.batch(), a.lr(), a.ema(), a.seed());
        TrainLoop.Options opt = new TrainLoop.Options(a.steps(), a.lr(), a.warmup(), false, 1.0f, a.ema(), a.seed(),
                a.ckptMinutes() * 60, a.maxMinutes() * 60, 10);
        TrainLoop.CheckpointHook export = (step, loss, elapsed) -> {
            TrainLoop.saveParams(ema, a.out().resolve(MnistModels.DIFFUSION + ".params"));
            Properties p = new Properties();
            p.setProperty("model", "ddpm-epsilon-unet");
            p.setProperty("data", "MNIST train split, " + train.n() + " digits, scaled to [-1,1]");
            p.setProperty("weights", "EMA");
            cfg.store(p);
            schedule.store(p);
            p.setProperty("parameters", Long.toString(net.parameterCount()));
            p.setProperty("train.steps", Long.toString(step));
            p.setProperty("train.batch", Integer.toString(a.batch()));
            p.setProperty("train.lr", Float.toString(a.lr()));
            p.setProperty("train.warmup", Integer.toString(a.warmup()));
            p.setProperty("train.ema_decay", Float.toString(a.ema()));
            p.setProperty("train.seed", Long.toString(a.seed()));
            p.setProperty("train.loss_ema", String.format(Locale.ROOT, "%.5f", loss));
            p.setProperty("train.seconds", String.format(Locale.ROOT, "%.0f", elapsed));
            TrainLoop.writeProps(p, a.out().resolve(MnistModels.DIFFUSION + ".properties"), "MNIST diffusion model");
        };
        TrainLoop loop = new TrainLoop(net, ema, manager,
                Objectives.diffusion(net, train, schedule, a.batch(), a.seed()), opt, a.ckpt(), export, log);
        TrainLoop.Result r = loop.run(a.resume());
        log.printf(Locale.ROOT, "%s step %d loss_ema %.5f train_seconds %.0f%n",
                r.finished() ? "DONE" : "PAUSED", r.step(), r.lossEma(), r.elapsedSeconds());
        return r.finished() ? 0 : EXIT_TIME_LIMIT;
    }

    private static int classifier(Args a, NDManager manager, PrintStream log) throws IOException {
        MnistIdx.Split trainSplit = a.eval() ? MnistIdx.Split.TEST : MnistIdx.Split.TRAIN;
        MnistIdx.Split heldOut = a.eval() ? MnistIdx.Split.TRAIN : MnistIdx.Split.TEST;
        MnistIdx.Data train = MnistIdx.load(a.data(), trainSplit);
        MnistIdx.Data other = MnistIdx.load(a.data(), heldOut);
        String name = a.eval() ? MnistModels.CLASSIFIER_EVAL : MnistModels.CLASSIFIER;
        Classifier net = new Classifier();
        net.initialize(manager, DataType.FLOAT32, Classifier.inputShape(a.batch()));
        log.printf(Locale.ROOT, "%s: %d parameters; trained on %s (%d digits), batch %d, lr %.1e, noise-aug %.2f, seed %d%n",
                name, net.parameterCount(), trainSplit, train.n(), a.batch(), a.lr(), a.noiseAug(), a.seed());
        TrainLoop.Options opt = new TrainLoop.Options(a.steps(), a.lr(), a.warmup(), true, 5.0f, 0f, a.seed(),
                a.ckptMinutes() * 60, a.maxMinutes() * 60, 10);
        TrainLoop loop = new TrainLoop(net, null, manager,
                Objectives.classifier(net, train, a.batch(), a.seed(), 2, a.noiseAug(), 0.5), opt, a.ckpt(), null, log);
        TrainLoop.Result r = loop.run(a.resume());
        if (!r.finished()) {
            log.printf(Locale.ROOT, "PAUSED step %d%n", r.step());
            return EXIT_TIME_LIMIT;
        }
        double accOther = accuracy(net, manager, other);
        double accTrain = accuracy(net, manager, train);
        log.printf(Locale.ROOT, "%s accuracy: %s split %.4f (%d digits, held out), %s split %.4f (its training data)%n",
                name, heldOut, accOther, other.n(), trainSplit, accTrain);
        TrainLoop.saveParams(net, a.out().resolve(name + ".params"));
        Properties p = new Properties();
        p.setProperty("model", "cnn-classifier");
        p.setProperty("architecture", "conv3x3(32)-relu-conv3x3(32)-relu-maxpool2-conv3x3(64)-relu-conv3x3(64)-relu-maxpool2-dense(128)-relu-dropout(0.3)-dense(10)");
        p.setProperty("input", "[B,1,28,28] in [-1,1]");
        p.setProperty("parameters", Long.toString(net.parameterCount()));
        p.setProperty("trained_on", trainSplit.prefix() + " split, " + train.n() + " digits");
        p.setProperty("augmentation", "random shifts +-2 px; Gaussian noise with prob " + a.noiseAug()
                + ", std ~ U[0,0.5]");
        p.setProperty("accuracy." + heldOut.prefix(), String.format(Locale.ROOT, "%.4f", accOther));
        p.setProperty("accuracy." + trainSplit.prefix(), String.format(Locale.ROOT, "%.4f", accTrain));
        p.setProperty("train.steps", Long.toString(r.step()));
        p.setProperty("train.batch", Integer.toString(a.batch()));
        p.setProperty("train.lr", Float.toString(a.lr()) + " (cosine decay)");
        p.setProperty("train.seed", Long.toString(a.seed()));
        p.setProperty("train.loss_ema", String.format(Locale.ROOT, "%.5f", r.lossEma()));
        p.setProperty("train.seconds", String.format(Locale.ROOT, "%.0f", r.elapsedSeconds()));
        TrainLoop.writeProps(p, a.out().resolve(name + ".properties"), "MNIST classifier");
        log.printf(Locale.ROOT, "DONE step %d loss_ema %.5f train_seconds %.0f%n", r.step(), r.lossEma(), r.elapsedSeconds());
        return 0;
    }

    /** Top-1 accuracy of a classifier block on a data split (eval mode, batches of 500). */
    static double accuracy(Classifier net, NDManager manager, MnistIdx.Data data) {
        ParameterStore ps = new ParameterStore(manager, false);
        int correct = 0;
        for (int start = 0; start < data.n(); start += 500) {
            int b = Math.min(500, data.n() - start);
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) {
                idx[i] = start + i;
            }
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = sub.create(Objectives.gather(data, idx), new Shape(b, 1, 28, 28));
                long[] pred = net.forward(ps, new NDList(x), false).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < b; i++) {
                    if (pred[i] == data.labels()[start + i]) {
                        correct++;
                    }
                }
            }
        }
        return correct / (double) data.n();
    }

    static Args parse(String[] argv) {
        if (argv.length == 0 || !(argv[0].equals("diffusion") || argv[0].equals("classifier"))) {
            throw new IllegalArgumentException("first argument must be 'diffusion' or 'classifier'");
        }
        String what = argv[0];
        boolean diff = what.equals("diffusion");
        Path data = null;
        Path out = null;
        Path ckpt = null;
        long steps = diff ? 200_000 : 1500;
        long seed = 0;
        boolean resume = false;
        boolean eval = false;
        int batch = diff ? 64 : 128;
        float lr = diff ? 5e-4f : 1e-3f;
        int warmup = diff ? 500 : 100;
        float ema = diff ? 0.999f : 0f;
        double ckptMinutes = 5;
        double maxMinutes = 0;
        double noiseAug = Double.NaN;
        for (int i = 1; i < argv.length; i++) {
            String k = argv[i];
            switch (k) {
                case "--resume" -> resume = true;
                case "--eval" -> eval = true;
                default -> {
                    if (i + 1 >= argv.length) {
                        throw new IllegalArgumentException("option " + k + " needs a value");
                    }
                    String v = argv[++i];
                    try {
                        switch (k) {
                            case "--data" -> data = Path.of(v);
                            case "--out" -> out = Path.of(v);
                            case "--ckpt" -> ckpt = Path.of(v);
                            case "--steps" -> steps = Long.parseLong(v);
                            case "--seed" -> seed = Long.parseLong(v);
                            case "--batch" -> batch = Integer.parseInt(v);
                            case "--lr" -> lr = Float.parseFloat(v);
                            case "--warmup" -> warmup = Integer.parseInt(v);
                            case "--ema" -> ema = Float.parseFloat(v);
                            case "--ckpt-minutes" -> ckptMinutes = Double.parseDouble(v);
                            case "--max-minutes" -> maxMinutes = Double.parseDouble(v);
                            case "--noise-aug" -> noiseAug = Double.parseDouble(v);
                            default -> throw new IllegalArgumentException("unknown option " + k
                                    + "; known: " + Arrays.toString(new String[] {"--data", "--out", "--ckpt", "--steps",
                                            "--seed", "--batch", "--lr", "--warmup", "--ema", "--ckpt-minutes",
                                            "--max-minutes", "--noise-aug", "--resume", "--eval"}));
                        }
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("option " + k + ": not a number: " + v);
                    }
                }
            }
        }
        if (data == null || out == null) {
            throw new IllegalArgumentException("--data and --out are required");
        }
        if (eval && diff) {
            throw new IllegalArgumentException("--eval applies to 'classifier' only");
        }
        if (Double.isNaN(noiseAug)) {
            // the guidance classifier sees noisy/blurry Tweedie estimates; the eval classifier only clean-ish samples
            noiseAug = diff || eval ? 0.0 : 0.3;
        }
        if (ckpt == null) {
            String name = diff ? "diffusion" : eval ? "classifier-eval" : "classifier";
            ckpt = Path.of("training", "checkpoints", name);
        }
        if (steps <= 0 || batch <= 0 || !(lr > 0)) {
            throw new IllegalArgumentException("--steps, --batch and --lr must be positive");
        }
        return new Args(what, data, out, steps, seed, resume, eval, ckpt, batch, lr, warmup, ema, ckptMinutes,
                maxMinutes, noiseAug);
    }
}
