package dfl.api;

import dfl.diag.Code;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.sampler.ObservationBatch;
import dfl.runtime.sampler.Sampling;
import dfl.runtime.run.StepListener;
import dfl.stdlib.runtime.StdlibProvider;
import dfl.runtime.output.RunRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One configured sampler for a {@link DflModel}. {@link #run()} may be called several times (each run
 * starts from the same seed, so it repeats the same draw); {@link #cancel()} stops a run in progress from
 * another thread and {@link #close()} cancels any run in progress and refuses further runs.
 * Each run opens and releases its own native memory.
 */
public final class SamplerRun implements AutoCloseable {

    private final DflModel model;
    private final SamplerPlan plan;
    private final long seed;
    private final StepListener listener;
    private final Path dataRoot;
    private final Networks networks;
    private final List<String> commandLine;
    private final int particlesGiven;
    private final int stepsGiven;
    private final AtomicBoolean cancel = new AtomicBoolean();
    private volatile boolean closed;

    private SamplerRun(Builder b) {
        this.model = b.model;
        this.plan = sized(b.model.plan(), b.particles, b.steps);
        this.seed = b.seed;
        this.listener = b.listener;
        this.dataRoot = b.dataRoot;
        this.networks = b.networks;
        this.commandLine = b.commandLine;
        this.particlesGiven = b.particles;
        this.stepsGiven = b.steps;
    }

    /** {@code plan} with particles and/or steps replaced (0 keeps the plan's): the one place sizes are overridden. */
    static SamplerPlan sized(SamplerPlan plan, int particles, int steps) {
        SamplerSpec sized = plan.sampler().withSize(particles, steps);
        if (sized.equals(plan.sampler())) return plan;
        return plan.withSampler(sized, plan.reason() + " Sizes set by the caller.");
    }

    /** The plan this run executes (the model's, with the sizes given to the builder). */
    public SamplerPlan plan() {
        return plan;
    }

    /**
     * Runs the sampler to completion on the calling thread.
     *
     * @throws DflRunException        for failures the model's author can act on (data, numerics, file access)
     * @throws CancellationException  when {@link #cancel()} or {@link #close()} was called, or the thread was interrupted
     * @throws IllegalStateException  after {@link #close()}
     */
    public Result run() {
        if (closed) throw new IllegalStateException("this SamplerRun is closed");
        try {
            StdlibProvider stdlib = stdlib(model);
            dfl.runtime.model.RuntimeProvider provider = lending(stdlib);
            Instant started = Instant.now();
            RunResult r = Sampling.run(plan, new RunOptions(seed, cancel), provider, listener);
            return new Result(plan, r, provider, record(model, stdlib, started));
        } catch (DflRuntimeException e) {
            throw new DflRunException(e, model.source());
        } finally {
            // a cancel() that arrives before the run starts is honoured; the next run starts afresh
            if (!closed) cancel.set(false);
        }
    }

    /**
     * Why {@link #runEach} cannot make observations bound to {@code name} share network calls with this model's plan
     * (the sampler, the observation family, or where the binding is used); empty when it can.
     */
    public Optional<String> whyNotBatched(String name) {
        // the program's own value of the binding: where the plan still holds it (the binding not yet replaced from Java)
        Optional<dfl.compiler.value.Value> declared = model.compiled().analysis().binding(name)
                .filter(b -> b.statement() instanceof dfl.ast.Stmt.Binding).map(b -> b.declared());
        if (declared.isEmpty()) return Optional.of("'" + name + "' is not bound in " + model.source().name());
        if (!(declared.get() instanceof dfl.compiler.value.Value.Tensor t)) return Optional.of("'" + name + "' is not a tensor of data");
        return ObservationBatch.unsupported(plan, name, t.expr());
    }

    /**
     * Runs this sampler once per observation, all observations sharing every network call (one batch of B·K particles
     * for B observations): observation b is {@code values.get(b)} bound to {@code name} (as {@link DflModel#bind(String,
     * double[])}) and runs with seed {@code seeds[b]} in place of this run's seed. Each result is that of the bound model
     * run alone with that seed, up to the arithmetic of the program's networks at another batch size (exact priors such
     * as {@code gmm(...)} give the same numbers); its seconds are the whole batch's. Only where {@link #whyNotBatched}
     * is empty.
     *
     * @throws IllegalArgumentException when the plan cannot batch observations, or a value does not fit the binding
     * @throws DflRunException          when the run fails (for any observation: run them one by one to tell which)
     * @throws CancellationException    as {@link #run()}
     */
    public List<Result> runEach(String name, List<double[]> values, long[] seeds) {
        if (closed) throw new IllegalStateException("this SamplerRun is closed");
        Optional<String> why = whyNotBatched(name);
        if (why.isPresent()) throw new IllegalArgumentException("observations cannot share network calls: " + why.get());
        if (values.size() != seeds.length) throw new IllegalArgumentException(values.size() + " observations, " + seeds.length + " seeds");
        List<DflModel> models = values.stream().map(v -> model.bind(name, v)).toList();
        try {
            List<StdlibProvider> stdlibs = models.stream().map(this::stdlib).toList();
            List<dfl.runtime.model.RuntimeProvider> providers = new ArrayList<>(stdlibs);
            providers.set(0, lending(stdlibs.get(0)));
            Instant started = Instant.now();
            SamplerPlan p = sized(models.get(0).plan(), particlesGiven, stepsGiven);
            List<RunResult> rs = ObservationBatch.run(p, providers, seeds, cancel, listener);
            List<Result> out = new ArrayList<>();
            for (int b = 0; b < rs.size(); b++) out.add(new Result(p, rs.get(b), providers.get(b), record(models.get(b), stdlibs.get(b), started)));
            return out;
        } catch (DflRuntimeException e) {
            throw new DflRunException(e, model.source());
        } finally {
            if (!closed) cancel.set(false);
        }
    }

    /** The standard library's provider for a run of {@code m} (its folders, bound data, this run's data root and cancel flag). */
    private StdlibProvider stdlib(DflModel m) {
        StdlibProvider.Builder pb = StdlibProvider.builder();
        m.modelDir().ifPresent(pb::optModelDir);
        m.workingDir().ifPresent(pb::optWorkingDir);
        if (dataRoot != null) pb.optDataRoot(dataRoot);
        pb.optCancel(cancel);
        m.boundData().forEach(pb::optBound);
        return pb.build();
    }

    /** {@code stdlib}, borrowing the networks from this run's pool when it has one. */
    private dfl.runtime.model.RuntimeProvider lending(StdlibProvider stdlib) {
        if (networks == null) return stdlib;
        return networks.lending(stdlib, Networks.folders(model.modelDir().orElse(null), model.workingDir().orElse(null), dataRoot));
    }

    /** How a run of {@code m} was made, for summary.json: command line, overrides, program and inputs with their hashes, threads. */
    private RunRecord record(DflModel m, StdlibProvider provider, Instant started) {
        List<RunRecord.Input> inputs = new ArrayList<>(m.boundInputs());
        inputs.addAll(provider.inputs());
        String text = m.source().text();
        return new RunRecord(commandLine, m.sets(), particlesGiven, stepsGiven, m.programPath(),
                RunRecord.sha256(text.getBytes(StandardCharsets.UTF_8)), inputs, started, RunRecord.Threads.current());
    }

    /** Asks the run in progress (or, if none is, the next one) to stop after its current step; it then throws {@link CancellationException}. */
    public void cancel() {
        cancel.set(true);
    }

    /** Cancels any run in progress; later calls to {@link #run()} fail. */
    @Override
    public void close() {
        closed = true;
        cancel.set(true);
    }

    /** Builder: {@code set*} for required settings, {@code opt*} for optional ones. */
    public static final class Builder {
        private final DflModel model;
        private int particles;
        private int steps;
        private long seed;
        private StepListener listener = StepListener.NONE;
        private Path dataRoot;
        private Networks networks;
        private List<String> commandLine = List.of();

        Builder(DflModel model) {
            this.model = model;
        }

        /** The number of particles (SMC) or samples; default: the plan's (what the program or the compiler chose). */
        public Builder optParticles(int k) {
            if (k < 1) throw new IllegalArgumentException("particles must be at least 1, got " + k);
            this.particles = k;
            return this;
        }

        /** @deprecated particles are optional: use {@link #optParticles(int)}. */
        @Deprecated
        public Builder setParticles(int k) {
            return optParticles(k);
        }

        /** Sampling steps (levels for annealed MCMC); default: the plan's. */
        public Builder optSteps(int t) {
            if (t < 1) throw new IllegalArgumentException("steps must be at least 1, got " + t);
            this.steps = t;
            return this;
        }

        /** Master seed (default 0): the same seed gives the same samples. */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The device. Only {@code "cpu"} is supported by this build (the runtime places every array on DJL's
         * default CPU device); anything else is rejected rather than silently ignored.
         */
        public Builder optDevice(String device) {
            if (!device.toLowerCase(Locale.ROOT).equals("cpu")) {
                throw new IllegalArgumentException("device '" + device + "' is not supported: this build samples on the CPU only");
            }
            return this;
        }

        /** Called after every step on the sampling thread (progress, live diagnostics); keep it quick. */
        public Builder optListener(StepListener l) {
            this.listener = l == null ? StepListener.NONE : l;
            return this;
        }

        /**
         * Confines every file the program reads ({@code load}, {@code mask("m.png")}) to {@code root}: reading
         * anything outside it fails with {@link DflRunException} code {@link Code#E0306}. The check is made on real paths
         * (symbolic links followed), so a link inside the root that leads out of it is denied too; only regular files
         * are opened (a FIFO or device is E0301). Use it for untrusted models.
         */
        public Builder optDataRoot(Path root) {
            this.dataRoot = root.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Borrows the program's networks from {@code pool} instead of loading them for this run (default: each run loads
         * its own): for many runs of one program in one JVM, such as one per observation of a dataset.
         */
        public Builder optNetworks(Networks pool) {
            this.networks = pool;
            return this;
        }

        /**
         * The command line that asked for this run ({@code dfl run m.dfl --seed 2}), recorded in summary.json and trace.csv
         * (default: none, for an embedded run).
         */
        public Builder optCommandLine(List<String> args) {
            this.commandLine = List.copyOf(args);
            return this;
        }

        /** A run with these settings. */
        public SamplerRun build() {
            return new SamplerRun(this);
        }
    }
}
