package dfl.models.mnist;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Training loop shared by the diffusion model and the classifiers: seeded per step, Adam with
 * warm-up and clipping, optional EMA of the weights, periodic resumable checkpoints, progress lines.
 *
 * <p>Checkpoint folder: {@code model.params} (raw weights), {@code ema.params} (EMA weights, when
 * EMA is on), {@code adam.ndlist} (Adam moments; optional on resume: without it the moments restart
 * from zero with a fresh warm-up), {@code state.properties} (step, loss EMA, elapsed seconds).
 * Each file is written to a temporary name and moved into place; the state file goes last.
 */
final class TrainLoop {

    /** Supplies one mini-batch loss; called inside an open gradient collector. */
    interface Objective {
        /**
         * @param ps parameter store of the trained network
         * @param sub per-step manager for every array created
         * @param step global training step (0-based)
         * @param rnd Java RNG seeded from (seed, step)
         * @return scalar loss
         */
        NDArray loss(ParameterStore ps, NDManager sub, long step, Random rnd);

        /** @return samples per step, for throughput reporting */
        int batchSize();
    }

    /** Called after each checkpoint with the current step and loss EMA (export weights, etc.). */
    interface CheckpointHook {
        void saved(long step, double lossEma, double elapsedSeconds) throws IOException;
    }

    /**
     * Knobs of a run.
     *
     * @param totalSteps step at which training ends
     * @param lr peak learning rate
     * @param warmup linear warm-up steps (also applied after a resume without Adam moments)
     * @param cosine decay the learning rate to 0 by {@code totalSteps} with a half cosine
     * @param clipNorm global gradient-norm clip
     * @param emaDecay EMA decay per step; ≤ 0 disables EMA
     * @param seed master seed
     * @param checkpointSeconds wall seconds between checkpoints
     * @param maxSeconds stop (with a checkpoint) after this many wall seconds in this process; ≤ 0: no limit
     * @param progressSeconds wall seconds between progress lines
     * @param lrScale learning-rate multipliers by parameter name (e.g. a larger rate for a newly added layer when
     *     fine-tuning); parameters not named get 1
     */
    record Options(long totalSteps, float lr, int warmup, boolean cosine, float clipNorm, float emaDecay,
            long seed, double checkpointSeconds, double maxSeconds, double progressSeconds, Map<String, Float> lrScale) {
        /** Options with one learning rate for every parameter. */
        Options(long totalSteps, float lr, int warmup, boolean cosine, float clipNorm, float emaDecay,
                long seed, double checkpointSeconds, double maxSeconds, double progressSeconds) {
            this(totalSteps, lr, warmup, cosine, clipNorm, emaDecay, seed, checkpointSeconds, maxSeconds, progressSeconds,
                    Map.of());
        }
    }

    /** Outcome of {@link #run}. */
    record Result(long step, double lossEma, double elapsedSeconds, boolean finished) {}

    private final FunctionalBlock net;
    private final FunctionalBlock ema;
    private final NDManager manager;
    private final Objective objective;
    private final Options opt;
    private final Path ckptDir;
    private final CheckpointHook hook;
    private final PrintWriter log;

    TrainLoop(FunctionalBlock net, FunctionalBlock ema, NDManager manager, Objective objective, Options opt,
            Path ckptDir, CheckpointHook hook, PrintWriter log) {
        this.net = net;
        this.ema = ema;
        this.manager = manager;
        this.objective = objective;
        this.opt = opt;
        this.ckptDir = ckptDir;
        this.hook = hook;
        this.log = log;
    }

    /**
     * Trains from the checkpoint in {@code ckptDir} (when {@code resume} and one exists) to
     * {@code totalSteps} or until {@code maxSeconds} pass.
     */
    Result run(boolean resume) throws IOException {
        List<Parameter> params = new ArrayList<>(net.getParameters().values());
        long step = 0;
        double lossEma = Double.NaN;
        double elapsedBefore = 0;
        long warmupFrom = 0;
        float[] scales = new float[params.size()];
        for (int i = 0; i < scales.length; i++) {
            scales[i] = opt.lrScale().getOrDefault(params.get(i).getName(), 1f);
        }
        try (Adam adam = new Adam(params, scales, manager, 0.9f, 0.999f, 1e-8f)) {
            if (resume && Files.exists(ckptDir.resolve("state.properties"))) {
                Properties st = readProps(ckptDir.resolve("state.properties"));
                step = Long.parseLong(st.getProperty("step"));
                lossEma = Double.parseDouble(st.getProperty("loss_ema", "NaN"));
                elapsedBefore = Double.parseDouble(st.getProperty("elapsed_seconds", "0"));
                warmupFrom = Long.parseLong(st.getProperty("warmup_from", "0"));
                loadParams(net, ckptDir.resolve("model.params"));
                if (ema != null) {
                    Path e = ckptDir.resolve("ema.params");
                    if (Files.exists(e)) {
                        loadParams(ema, e);
                    } else {
                        copyWeights(net, ema);
                    }
                }
                Path a = ckptDir.resolve("adam.ndlist");
                String adamStep = st.getProperty("adam_saved_at_step", "-1");
                if (Files.exists(a) && Long.parseLong(adamStep) == step) {
                    try (InputStream is = new BufferedInputStream(Files.newInputStream(a))) {
                        adam.load(is);
                    }
                    log.printf(Locale.ROOT, "resumed at step %d with Adam moments (t=%d)%n", step, adam.stepCount());
                } else {
                    warmupFrom = step;
                    log.printf(Locale.ROOT, "resumed at step %d WITHOUT Adam moments: restarting them with a %d-step warm-up%n",
                            step, opt.warmup());
                }
            } else if (ema != null) {
                copyWeights(net, ema);
            }
            for (Parameter p : params) {
                p.getArray().setRequiresGradient(true);
            }
            ParameterStore ps = new ParameterStore(manager, false);
            long t0 = System.nanoTime();
            double lastCkpt = 0;
            double lastProgress = 0;
            long stepsAtProgress = step;
            double timeAtProgress = 0;
            boolean finished = step >= opt.totalSteps();
            while (step < opt.totalSteps()) {
                long s = Seeds.mix(opt.seed(), step);
                Engine.getInstance().setRandomSeed((int) (s ^ (s >>> 32)));
                Random rnd = new Random(s);
                float lr = learningRate(step, warmupFrom);
                float loss;
                try (NDManager sub = manager.newSubManager()) {
                    NDArray l;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        l = objective.loss(ps, sub, step, rnd);
                        gc.backward(l);
                    }
                    loss = l.getFloat();
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("non-finite loss " + loss + " at step " + step);
                    }
                    adam.step(sub, lr, opt.clipNorm());
                    if (ema != null) {
                        updateEma(sub, step);
                    }
                }
                step++;
                lossEma = Double.isNaN(lossEma) ? loss : 0.98 * lossEma + 0.02 * loss;
                double now = (System.nanoTime() - t0) / 1e9;
                boolean timeUp = opt.maxSeconds() > 0 && now >= opt.maxSeconds();
                if (now - lastProgress >= opt.progressSeconds() || step == opt.totalSteps() || timeUp) {
                    double rate = (step - stepsAtProgress) / Math.max(1e-9, now - timeAtProgress);
                    double eta = (opt.totalSteps() - step) / Math.max(1e-9, rate);
                    log.printf(Locale.ROOT, "step %d/%d loss %.5f (ema %.5f) lr %.2e %.1f samples/s ETA %s elapsed %s%n",
                            step, opt.totalSteps(), loss, lossEma, lr, rate * objective.batchSize(),
                            hms(eta), hms(elapsedBefore + now));
                    lastProgress = now;
                    stepsAtProgress = step;
                    timeAtProgress = now;
                }
                if (now - lastCkpt >= opt.checkpointSeconds() || step == opt.totalSteps() || timeUp) {
                    save(adam, step, lossEma, elapsedBefore + now, warmupFrom);
                    lastCkpt = now;
                }
                if (timeUp) {
                    break;
                }
            }
            finished = step >= opt.totalSteps();
            double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
            return new Result(step, lossEma, elapsed, finished);
        }
    }

    float learningRate(long step, long warmupFrom) {
        float lr = opt.lr();
        long since = step - warmupFrom;
        if (opt.warmup() > 0 && since < opt.warmup()) {
            lr *= (since + 1) / (float) opt.warmup();
        }
        if (opt.cosine()) {
            lr *= (float) (0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, step / (double) opt.totalSteps()))));
        }
        return lr;
    }

    private void updateEma(NDManager sub, long step) {
        // the usual early-training correction: a short effective horizon while few steps exist
        float d = Math.min(opt.emaDecay(), (1f + step) / (10f + step));
        List<Parameter> src = new ArrayList<>(net.getParameters().values());
        List<Parameter> dst = new ArrayList<>(ema.getParameters().values());
        for (int i = 0; i < src.size(); i++) {
            NDArray w = src.get(i).getArray();
            dst.get(i).getArray().muli(d).addi(Adam.tmp(sub, w.mul(1 - d)));
        }
    }

    private void save(Adam adam, long step, double lossEma, double elapsed, long warmupFrom) throws IOException {
        Files.createDirectories(ckptDir);
        saveParams(net, ckptDir.resolve("model.params"));
        if (ema != null) {
            saveParams(ema, ckptDir.resolve("ema.params"));
        }
        Path a = ckptDir.resolve("adam.ndlist");
        Path tmp = a.resolveSibling(a.getFileName() + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            adam.save(os);
        }
        Files.move(tmp, a, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Properties st = new Properties();
        st.setProperty("step", Long.toString(step));
        st.setProperty("adam_saved_at_step", Long.toString(step));
        st.setProperty("loss_ema", Double.toString(lossEma));
        st.setProperty("elapsed_seconds", String.format(Locale.ROOT, "%.1f", elapsed));
        st.setProperty("warmup_from", Long.toString(warmupFrom));
        st.setProperty("seed", Long.toString(opt.seed()));
        st.setProperty("total_steps", Long.toString(opt.totalSteps()));
        writeProps(st, ckptDir.resolve("state.properties"), "training state (resume with --resume)");
        log.printf(Locale.ROOT, "checkpoint step %d loss_ema %.5f -> %s%n", step, lossEma, ckptDir);
        if (hook != null) {
            hook.saved(step, lossEma, elapsed);
        }
    }

    /** Copies parameter values from one network to another of the same architecture. */
    static void copyWeights(FunctionalBlock from, FunctionalBlock to) {
        List<Parameter> a = new ArrayList<>(from.getParameters().values());
        List<Parameter> b = new ArrayList<>(to.getParameters().values());
        for (int i = 0; i < a.size(); i++) {
            b.get(i).getArray().set(a.get(i).getArray().toByteBuffer());
        }
    }

    /** Writes a block's parameters in DJL's saveParameters format (atomically). */
    static void saveParams(FunctionalBlock b, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream os = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            b.saveParameters(os);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads parameters written by {@link #saveParams} into an initialised block. */
    static void loadParams(FunctionalBlock b, Path file) throws IOException {
        try (DataInputStream is = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            b.loadParameters(b.getParameters().values().get(0).getArray().getManager(), is);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("malformed parameter file " + file + ": " + e.getMessage(), e);
        }
    }

    static Properties readProps(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    static void writeProps(Properties p, Path file, String comment) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, comment);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String hms(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
