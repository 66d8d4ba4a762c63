package dfl.models.mnist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dfl.plan.Schedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Trains the shipped MNIST models: {@code dfl train diffusion|classifier ...} builds the settings with {@link #builder}
 * and calls {@link #run}; {@link #main} is the standalone entry the training scripts use.
 *
 * <pre>
 * Train diffusion|classifier --data DIR --out DIR [--steps N] [--seed S] [--resume]
 *       [--eval] [--ckpt DIR] [--batch B] [--lr X] [--warmup N] [--ema D]
 *       [--ckpt-minutes M] [--max-minutes M] [--noise-aug P]
 *       [--conditional] [--label-dropout P] [--warm-start shipped|none|DIR] [--label-lr-scale X]
 * </pre>
 *
 * {@code diffusion --conditional} trains the class-conditional U-Net {@code mnist-unet-cond} (labels 0–9, null
 * label 10): each label is replaced by the null label with probability {@code --label-dropout} (default 0.1), and
 * the network starts from the unconditional weights ({@code --warm-start}, default the shipped ones) with a zero
 * label embedding, which learns at {@code --label-lr-scale} times the learning rate (default 20 from a warm start:
 * at the base rate it had barely moved after 500 steps). At each checkpoint it also logs the held-out loss with the
 * true, null and a wrong label ({@link LabelGap}).
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

    /** The checked settings of a training run; made by {@link Builder#build()}. */
    public record Args(String what, Path data, Path out, long steps, long seed, boolean resume, boolean eval, Path ckpt,
            int batch, float lr, int warmup, float ema, double ckptMinutes, double maxMinutes, double noiseAug,
            boolean conditional, double labelDropout, String warmStart, float labelLrScale) {}

    /** Labels of the conditional model: the digits 0–9; the null label is 10. */
    static final int CLASSES = 10;
    /** Digits per label in the held-out label-gap measurement. */
    static final int GAP_PER_LABEL = 50;

    /**
     * Entry point.
     *
     * @param argv command line, see the class comment ({@link TrainOptions}: picocli parses it)
     */
    public static void main(String[] argv) {
        System.exit(TrainOptions.standalone(argv));
    }

    /**
     * Trains; progress lines go to {@code log}. Returns the exit status: 0 finished, {@link #EXIT_TIME_LIMIT} stopped by
     * {@code --max-minutes} after a checkpoint.
     */
    public static int run(Args a, PrintWriter log) throws IOException {
        Files.createDirectories(a.out());
        Engine.getInstance().setRandomSeed((int) a.seed());
        try (NDManager manager = NDManager.newBaseManager()) {
            if (a.what().equals("diffusion")) {
                return diffusion(a, manager, log);
            }
            return classifier(a, manager, log);
        }
    }

    private static int diffusion(Args a, NDManager manager, PrintWriter log) throws IOException {
        MnistIdx.Data train = MnistIdx.load(a.data(), MnistIdx.Split.TRAIN);
        boolean cond = a.conditional();
        WarmStart warm = !cond || a.warmStart().equals("none") ? null
                : WarmStart.load(manager, a.warmStart().equals("shipped") ? null : Path.of(a.warmStart()));
        UNet.Config cfg = warm != null ? warm.config(CLASSES) : UNet.Config.standard().withClasses(cond ? CLASSES : 0);
        String name = cond ? MnistModels.CONDITIONAL_DIFFUSION : MnistModels.DIFFUSION;
        Schedule schedule = Schedule.DEFAULT;
        UNet net = new UNet(cfg);
        net.initialize(manager, DataType.FLOAT32, UNet.inputShapes(a.batch()));
        UNet ema = new UNet(cfg);
        ema.initialize(manager, DataType.FLOAT32, UNet.inputShapes(a.batch()));
        ema.freezeParameters(true);
        log.printf(Locale.ROOT, "diffusion U-Net %s: %d parameters; %d training digits, batch %d, lr %.1e, EMA %.4f, seed %d%n",
                cfg, net.parameterCount(), train.n(), a.batch(), a.lr(), a.ema(), a.seed());
        LabelGap monitor = cond
                ? new LabelGap(MnistIdx.load(a.data(), MnistIdx.Split.TEST), schedule, CLASSES, GAP_PER_LABEL, a.seed())
                : null;
        if (cond) {
            log.printf(Locale.ROOT, "label dropout %.3f to the null label %d; label embedding lr x%s; warm start: %s%n",
                    a.labelDropout(), CLASSES, a.labelLrScale(), warm == null ? "none (from scratch)" : warm.description());
            if (warm != null && !(a.resume() && Files.exists(a.ckpt().resolve("state.properties")))) {
                warm.apply(net);
                log.println("step 0 " + monitor.measure(net, manager).describe());
            }
        }
        TrainLoop.Options opt = new TrainLoop.Options(a.steps(), a.lr(), a.warmup(), false, 1.0f, a.ema(), a.seed(),
                a.ckptMinutes() * 60, a.maxMinutes() * 60, 10,
                cond ? Map.of(UNet.LABEL_EMBEDDING, a.labelLrScale()) : Map.of());
        TrainLoop.CheckpointHook export = (step, loss, elapsed) -> {
            TrainLoop.saveParams(ema, a.out().resolve(name + ".params"));
            Properties p = new Properties();
            p.setProperty("model", cond ? "ddpm-epsilon-unet-class-conditional" : "ddpm-epsilon-unet");
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
            if (cond) {
                p.setProperty("labels", "0-9 the digits, " + CLASSES + " the null label (no condition)");
                p.setProperty("train.label_dropout", Double.toString(a.labelDropout()));
                p.setProperty("train.label_lr_scale", Float.toString(a.labelLrScale()));
                p.setProperty("train.init", warm == null ? "none (from scratch)" : warm.description());
                LabelGap.Result r = monitor.measure(ema, manager);
                r.store(p, GAP_PER_LABEL);
                log.printf(Locale.ROOT, "step %d EMA %s%n", step, r.describe());
            }
            TrainLoop.writeProps(p, a.out().resolve(name + ".properties"),
                    cond ? "MNIST class-conditional diffusion model" : "MNIST diffusion model");
        };
        TrainLoop loop = new TrainLoop(net, ema, manager,
                Objectives.diffusion(net, train, schedule, a.batch(), a.seed(), cond ? a.labelDropout() : 0),
                opt, a.ckpt(), export, log);
        TrainLoop.Result r = loop.run(a.resume());
        log.printf(Locale.ROOT, "%s step %d loss_ema %.5f train_seconds %.0f%n",
                r.finished() ? "DONE" : "PAUSED", r.step(), r.lossEma(), r.elapsedSeconds());
        return r.finished() ? 0 : EXIT_TIME_LIMIT;
    }

    private static int classifier(Args a, NDManager manager, PrintWriter log) throws IOException {
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

    /** A training run of {@code what} ({@code diffusion} or {@code classifier}): {@code setData}, {@code setOut} required. */
    public static Builder builder(String what) {
        return new Builder(what);
    }

    /**
     * The settings of a training run, with every default written here once: {@code set*} for the required folders,
     * {@code opt*} for the rest. {@link #build()} checks them ({@link IllegalArgumentException} with the reason).
     */
    public static final class Builder {
        private final String what;
        private final boolean diff;
        private Path data;
        private Path out;
        private Path ckpt;
        private long steps;
        private long seed;
        private boolean resume;
        private boolean eval;
        private int batch;
        private Float lr;
        private Integer warmup;
        private float ema;
        private double ckptMinutes = 5;
        private double maxMinutes;
        private double noiseAug = Double.NaN;
        private boolean conditional;
        private double labelDropout = 0.1;
        private String warmStart = "shipped";
        private Float labelLrScale;

        Builder(String what) {
            if (!what.equals("diffusion") && !what.equals("classifier")) {
                throw new IllegalArgumentException("what to train must be 'diffusion' or 'classifier', not '" + what + "'");
            }
            this.what = what;
            this.diff = what.equals("diffusion");
            this.steps = diff ? 200_000 : 1500;
            this.batch = diff ? 64 : 128;
            this.ema = diff ? 0.999f : 0f;
        }

        /** Required: the folder with the MNIST IDX files. */
        public Builder setData(Path p) {
            this.data = p;
            return this;
        }

        /** Required: where the trained weights and their properties are written. */
        public Builder setOut(Path p) {
            this.out = p;
            return this;
        }

        /** Checkpoint folder (default training/checkpoints/diffusion, diffusion-cond, classifier or classifier-eval). */
        public Builder optCkpt(Path p) {
            this.ckpt = p;
            return this;
        }

        /** Training steps (default 200,000 for diffusion, 1,500 for a classifier). */
        public Builder optSteps(long n) {
            this.steps = n;
            return this;
        }

        /** Seed (default 0). */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Continue from the last checkpoint. */
        public Builder optResume(boolean r) {
            this.resume = r;
            return this;
        }

        /** Classifier only: train the evaluation classifier on the TEST split. */
        public Builder optEval(boolean e) {
            this.eval = e;
            return this;
        }

        /** Batch size (default 64 for diffusion, 128 for a classifier). */
        public Builder optBatch(int b) {
            this.batch = b;
            return this;
        }

        /** Peak learning rate (default 5e-4 for diffusion, 2e-4 for conditional fine-tuning from a warm start, 1e-3 for a classifier). */
        public Builder optLr(float x) {
            this.lr = x;
            return this;
        }

        /** Warm-up steps (default 500 for diffusion, 200 for conditional fine-tuning from a warm start, 100 for a classifier). */
        public Builder optWarmup(int n) {
            this.warmup = n;
            return this;
        }

        /** EMA decay of the weights (default 0.999 for diffusion, none for a classifier). */
        public Builder optEma(float d) {
            this.ema = d;
            return this;
        }

        /** Minutes between checkpoints (default 5). */
        public Builder optCkptMinutes(double m) {
            this.ckptMinutes = m;
            return this;
        }

        /** Stop after a checkpoint once this many minutes have passed (default 0: no limit); the run then returns 3. */
        public Builder optMaxMinutes(double m) {
            this.maxMinutes = m;
            return this;
        }

        /** Probability of noise augmentation (default 0.3 for the guidance classifier, else 0). */
        public Builder optNoiseAug(double p) {
            this.noiseAug = p;
            return this;
        }

        /** Diffusion only: train the class-conditional network {@code mnist-unet-cond} (labels 0–9, null label 10). */
        public Builder optConditional(boolean c) {
            this.conditional = c;
            return this;
        }

        /** Conditional only: probability of replacing a label by the null label (default 0.1). */
        public Builder optLabelDropout(double p) {
            this.labelDropout = p;
            return this;
        }

        /**
         * Conditional only: the initial weights, {@code shipped} (default: the shipped unconditional network with a zero
         * label embedding), {@code none} (from scratch), or a folder with {@code mnist-unet.params/.properties}.
         */
        public Builder optWarmStart(String from) {
            this.warmStart = from;
            return this;
        }

        /**
         * Conditional only: multiplier of the learning rate for the label embedding (default 20 from a warm start, where
         * only the embedding is new, 1 from scratch).
         */
        public Builder optLabelLrScale(float x) {
            this.labelLrScale = x;
            return this;
        }

        /** The checked settings. */
        public Args build() {
            if (data == null || out == null) {
                throw new IllegalArgumentException("--data and --out are required");
            }
            if (eval && diff) {
                throw new IllegalArgumentException("--eval applies to 'classifier' only");
            }
            if (conditional && !diff) {
                throw new IllegalArgumentException("--conditional applies to 'diffusion' only");
            }
            if (!(labelDropout >= 0 && labelDropout < 1)) {
                throw new IllegalArgumentException("--label-dropout must be in [0, 1), got " + labelDropout);
            }
            boolean fineTune = conditional && !warmStart.equals("none");
            float rate = lr != null ? lr : fineTune ? 2e-4f : diff ? 5e-4f : 1e-3f;
            int warm = warmup != null ? warmup : fineTune ? 200 : diff ? 500 : 100;
            float labelRate = labelLrScale != null ? labelLrScale : fineTune ? 20f : 1f;
            if (!(labelRate > 0)) {
                throw new IllegalArgumentException("--label-lr-scale must be positive");
            }
            // the guidance classifier sees noisy/blurry Tweedie estimates; the eval classifier only clean-ish samples
            double aug = Double.isNaN(noiseAug) ? (diff || eval ? 0.0 : 0.3) : noiseAug;
            Path dir = ckpt != null ? ckpt : Path.of("training", "checkpoints",
                    conditional ? "diffusion-cond" : diff ? "diffusion" : eval ? "classifier-eval" : "classifier");
            if (steps <= 0 || batch <= 0 || !(rate > 0)) {
                throw new IllegalArgumentException("--steps, --batch and --lr must be positive");
            }
            return new Args(what, data, out, steps, seed, resume, eval, dir, batch, rate, warm, ema, ckptMinutes, maxMinutes,
                    aug, conditional, labelDropout, warmStart, labelRate);
        }
    }
}
