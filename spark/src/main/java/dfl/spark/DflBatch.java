package dfl.spark;

import dfl.api.Dfl;
import dfl.api.DflCompileException;
import dfl.api.DflModel;
import dfl.api.SamplerRun;
import dfl.ast.Stmt;
import dfl.compiler.value.Value;
import dfl.plan.ModelRef;
import dfl.plan.TargetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * One DFL program run once per observation of a Spark dataset: the Java API behind {@code dfl batch}, for users who
 * already have Spark pipelines.
 *
 * <pre>{@code
 * DflBatch batch = DflBatch.builder(Path.of("inpaint.dfl"), "y").optSeed(7).build();
 * Dataset<Row> observations = ...;          // columns id (string) and values (array<double> or array<float>)
 * Dataset<Row> results = batch.sample(observations);   // lazy: one row per observation, see BatchSchema.RESULTS
 * results.write().parquet("out/results");
 * }</pre>
 *
 * Each observation's run is seeded by {@link ObservationSeeds#of}(seed, id), so results do not depend on how the
 * dataset is partitioned; an observation that fails is a row with status {@code failed}, its diagnostic code and
 * message. Executors compile the program once and load its networks once per task slot.
 */
public final class DflBatch {

    /**
     * {@link Builder#optGroup}'s value for "choose for me" (the default): B·K particles up to {@value #AUTO_PARTICLES},
     * at most {@value #AUTO_MAX_GROUP} observations, on exact priors; 1 where the program has a network, since DFL runs
     * networks on the CPU, where a bigger batch costs as much as the runs it replaces (see {@link #group()}).
     */
    public static final int AUTO_GROUP = 0;

    /** The most observations {@link #AUTO_GROUP} puts in one group. */
    public static final int AUTO_MAX_GROUP = 8;

    /** The most particles (B·K) {@link #AUTO_GROUP} puts in one batch: the largest batch measured (8 × 256 on the toy). */
    public static final int AUTO_PARTICLES = 2048;

    private final BatchProgram program;
    private final long seed;
    private final int groupAsked;
    private final int group;
    private final DflModel model;
    private final boolean numberData;
    private final java.util.Optional<String> notBatched;
    private final int killFirstAttemptAfter;

    private DflBatch(Builder b) {
        this.program = new BatchProgram(b.name, b.text, b.modelDir, b.workingDir, b.sets, b.data, b.particles, b.steps);
        this.seed = b.seed;
        this.groupAsked = b.group;
        this.killFirstAttemptAfter = b.killFirstAttemptAfter;
        this.model = program.compile();
        var binding = model.compiled().analysis().binding(b.data).filter(x -> x.statement() instanceof Stmt.Binding);
        if (binding.isEmpty()) {
            throw new IllegalArgumentException("'" + b.data + "' is not bound in " + b.name + "; --data " + b.data
                    + "=PATH replaces the value of a binding such as '" + b.data + " = load(\"y.png\");' or '" + b.data + " = 7;'");
        }
        this.numberData = binding.get().declared() instanceof Value.Num;
        java.util.Optional<String> why = notBatched();
        int g = why.isPresent() ? 1 : groupAsked == AUTO_GROUP ? autoGroup() : groupAsked;
        if (why.isEmpty() && g == 1) {
            why = java.util.Optional.of("--group auto: the program has networks, which run on the CPU, where sharing their calls "
                    + "between observations was measured slower (docs/batch.md, Speed); --group B asks for groups of B");
        }
        this.notBatched = why;
        this.group = g;
    }

    /** A batch of the program in {@code file}, whose binding {@code data} each observation replaces. */
    public static Builder builder(Path file, String data) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Builder(file.toString(), text, data).optModelDir(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DFL program " + file + ": " + e.getMessage(), e);
        }
    }

    /** A batch of a program given as text ({@code name} is used in diagnostics). */
    public static Builder builder(String source, String name, String data) {
        return new Builder(name, source, data);
    }

    /** The program as compiled on the driver (with its plan: sampler, particles, steps). */
    public DflModel model() {
        return model;
    }

    /** The binding each observation replaces. */
    public String data() {
        return program.data();
    }

    /** The batch's seed S. */
    public long seed() {
        return seed;
    }

    /** Particles per run, steps per run: the builder's, else the plan's. */
    public int[] sizes() {
        return new int[] {program.particles() > 0 ? program.particles() : model.plan().sampler().particles(),
            program.steps() > 0 ? program.steps() : model.plan().sampler().steps()};
    }

    /**
     * The results of running the program once per row of {@code observations} (lazy; one row per observation, columns
     * {@link BatchSchema#RESULTS}). {@code observations} needs a unique string {@code id} and either {@code values}
     * (an array of numbers, row-major) or {@code path} (a .png, .npy or .csv file the executors can read); {@code index}
     * and {@code source} are optional. Partitioning is kept: repartition first to spread the work. Consecutive rows of a
     * partition with the same {@code index / group} form a group whose runs share every network call (see
     * {@link #whyNotBatched}); keep a group's rows together and in order in one partition, as {@code dfl batch} does, so
     * that a result does not depend on the partitioning (for networks it may differ in the last bits with the group it
     * was computed in; exact priors give the same numbers in any group).
     */
    public Dataset<Row> sample(Dataset<Row> observations) {
        return normalise(observations).mapPartitions(new ObservationRunner(program, seed, group, killFirstAttemptAfter),
                Encoders.row(BatchSchema.RESULTS));
    }

    /** {@code observations} with the columns of {@link BatchSchema#OBSERVATIONS}, missing ones filled in. */
    static Dataset<Row> normalise(Dataset<Row> observations) {
        var names = Arrays.asList(observations.columns());
        if (!names.contains("id") || !(names.contains("values") || names.contains("path"))) {
            throw new IllegalArgumentException("observations need an 'id' column and a 'values' or 'path' column; they have "
                    + names);
        }
        Column index = names.contains("index") ? functions.col("index").cast(DataTypes.LongType) : functions.lit(0L);
        Column source = names.contains("source") ? functions.col("source").cast(DataTypes.StringType)
                : functions.lit(null).cast(DataTypes.StringType);
        Column path = names.contains("path") ? functions.col("path").cast(DataTypes.StringType) : functions.lit(null).cast(DataTypes.StringType);
        Column values = names.contains("values") ? functions.col("values").cast(DataTypes.createArrayType(DataTypes.DoubleType))
                : functions.lit(null).cast(DataTypes.createArrayType(DataTypes.DoubleType));
        Column shape = names.contains("shape") ? functions.col("shape").cast(DataTypes.createArrayType(DataTypes.IntegerType))
                : functions.lit(null).cast(DataTypes.createArrayType(DataTypes.IntegerType));
        return observations.select(functions.col("id").cast(DataTypes.StringType).as("id"), index.as("index"), source.as("source"),
                path.as("path"), values.as("values"), shape.as("shape"));
    }

    /**
     * Observations per group, the most that share one network call: 1 where {@link #whyNotBatched} gives a reason, else
     * the builder's {@link Builder#optGroup}, or for {@link #AUTO_GROUP} (the default) the automatic choice: on an
     * exact prior ({@code gmm(...)} with no network factor) as many as fit {@value #AUTO_PARTICLES} particles, at most
     * {@value #AUTO_MAX_GROUP}; 1 with a network, whose cost on a CPU grows with the batch (docs/batch.md, "Speed").
     */
    public int group() {
        return group;
    }

    /** The group size asked for: {@link #AUTO_GROUP} or a number (what {@code --group} said). */
    public int groupAsked() {
        return groupAsked;
    }

    /** Whether each observation is a number that replaces a number binding (compiled into the program per observation). */
    public boolean numberData() {
        return numberData;
    }

    /** {@link #AUTO_GROUP}'s choice for a program that can share network calls. */
    private int autoGroup() {
        if (!(model.plan().target() instanceof TargetSpec.OnePrior one) || !(one.prior().model() instanceof ModelRef.Gmm)
                || !one.factors().isEmpty()) {
            return 1;
        }
        return Math.max(1, Math.min(AUTO_MAX_GROUP, AUTO_PARTICLES / sizes()[0]));
    }

    /**
     * Why the observations of this batch run one at a time (the sampler, the observation family, or where the binding is
     * used: {@link SamplerRun#whyNotBatched}; a number binding; {@code --group 1}; or {@link #AUTO_GROUP}'s choice for a
     * program with networks); empty when groups of up to {@link #group()} (above 1) observations share every network call.
     */
    public java.util.Optional<String> whyNotBatched() {
        return notBatched;
    }

    private java.util.Optional<String> notBatched() {
        if (numberData) {
            return java.util.Optional.of("'" + program.data() + "' is a number, compiled into each observation's program (as --set "
                    + program.data() + "=V would), so observations differ in their program, not only in their data");
        }
        if (groupAsked == 1) return java.util.Optional.of("groups of one observation were asked for");
        SamplerRun.Builder b = model.sampler();
        if (program.particles() > 0) b.optParticles(program.particles());
        if (program.steps() > 0) b.optSteps(program.steps());
        return b.build().whyNotBatched(program.data());
    }

    /** The seed of observation {@code id}'s run ({@code dfl run --seed} with it repeats the run). */
    public long seedOf(String id) {
        return ObservationSeeds.of(seed, id);
    }

    /** Builder: {@code opt*} settings, each with a default. */
    public static final class Builder {
        private final String name;
        private final String text;
        private final String data;
        private String modelDir;
        private String workingDir;
        private final Map<String, Double> sets = new LinkedHashMap<>();
        private long seed;
        private int particles;
        private int steps;
        private int group = AUTO_GROUP;
        private int killFirstAttemptAfter = -1;

        private Builder(String name, String text, String data) {
            this.name = name;
            this.text = text;
            this.data = data;
        }

        /** The batch's seed S (default 0); observation {@code id} runs with {@link ObservationSeeds#of}(S, id). */
        public Builder optSeed(long s) {
            this.seed = s;
            return this;
        }

        /** Particles per run (default: the program's). */
        public Builder optParticles(int k) {
            if (k < 1) throw new IllegalArgumentException("particles must be at least 1, got " + k);
            this.particles = k;
            return this;
        }

        /** Sampling steps per run (default: the program's). */
        public Builder optSteps(int t) {
            if (t < 1) throw new IllegalArgumentException("steps must be at least 1, got " + t);
            this.steps = t;
            return this;
        }

        /**
         * Up to {@code b} observations (those with the same listing index / b) share every network call, one batch of b·K
         * particles, where the program allows it; 1 runs each by itself; {@link DflBatch#AUTO_GROUP} (the default)
         * chooses (see {@link DflBatch#group()}).
         */
        public Builder optGroup(int b) {
            if (b < 0) throw new IllegalArgumentException("group must be at least 1 (or AUTO_GROUP), got " + b);
            this.group = b;
            return this;
        }

        /** Replaces the number bound to {@code name} ({@code --set}). */
        public Builder optSet(String name, double value) {
            sets.put(name, value);
            return this;
        }

        /** The program's folder: relative paths in it are also looked up there (set by {@link DflBatch#builder(Path, String)}). */
        public Builder optModelDir(Path dir) {
            this.modelDir = dir == null ? null : dir.toAbsolutePath().toString();
            return this;
        }

        /** The folder relative paths of the program resolve against first (default: each executor's working directory). */
        public Builder optWorkingDir(Path dir) {
            this.workingDir = dir == null ? null : dir.toAbsolutePath().toString();
            return this;
        }

        /** Tests: the first attempt of every task dies before its first group after {@code n} observations (Spark retries it). */
        Builder killFirstAttemptAfter(int n) {
            this.killFirstAttemptAfter = n;
            return this;
        }

        /**
         * Compiles the program on the driver, so errors show before any task starts.
         *
         * @throws DflCompileException      when the program has errors
         * @throws IllegalArgumentException when {@code data} is not one of its bindings
         */
        public DflBatch build() {
            return new DflBatch(this);
        }
    }
}
