package dfl.api;

import dfl.compiler.CompileResult;
import dfl.compiler.Compiler;
import dfl.compiler.value.Value;
import dfl.source.SourceFile;
import dfl.stdlib.Stdlib;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the embedding API and the one pipeline every front end uses ({@code dfl run}, {@code dfl check},
 * the REPL): compile a DFL program into a {@link DflModel}, then {@link DflModel#sampler()} → {@link SamplerRun#run()}
 * → {@link Result}.
 *
 * <pre>{@code
 * DflModel m = Dfl.compile(Path.of("m.dfl")).bind("y", new double[] {1.2});
 * try (SamplerRun r = m.sampler().optParticles(256).optSeed(1).build()) {
 *     Result res = r.run();
 *     double[] mean = res.mean();
 * }
 * }</pre>
 *
 * Compiling is pure: it reads no data file and runs no user code, so untrusted source can be compiled;
 * files named by the program ({@code load}, {@code mask("x.png")}, {@code torchscript}) are read only by
 * {@link SamplerRun#run()}, and {@link SamplerRun.Builder#optDataRoot} confines them to one folder.
 * {@link #builder()} gives the settings the command line and the REPL need ({@code --set}, folders, the REPL's rules).
 */
public final class Dfl {

    private Dfl() {}

    /**
     * Reads and compiles a model file; its folder is where relative data paths are also looked up.
     *
     * @throws DflCompileException  when the program has errors (the diagnostics are in the exception)
     * @throws UncheckedIOException when the file cannot be read
     */
    public static DflModel compile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read DFL model " + file + ": " + e.getMessage(), e);
        }
        return builder().optModelDir(file.toAbsolutePath().getParent()).compile(new SourceFile(file.toString(), text));
    }

    /**
     * Compiles a program given as text. {@code name} is used in diagnostics and as the model's name (the
     * default output folder); relative data paths resolve against the working directory.
     *
     * @throws DflCompileException when the program has errors
     */
    public static DflModel compile(String source, String name) {
        return builder().compile(new SourceFile(name, source));
    }

    /** Compile settings: {@code opt*} only, every one has a default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The settings of a compile, kept by the model so that {@link DflModel#bind} compiles the same way.
     *
     * @param overrides   values replacing top-level bindings ({@code --set}, data bound from Java)
     * @param interactive the REPL's rules: no sample statement needed, names may be bound again, and an undefined name
     *                    that an observation uses is taken for the latent
     * @param modelDir    the model file's folder (relative data paths are also looked up there), or null
     * @param workingDir  the folder relative paths resolve against first, or null for the JVM's
     */
    record Settings(Map<String, Value> overrides, boolean interactive, Path modelDir, Path workingDir) {

        Settings {
            overrides = Map.copyOf(overrides);
        }

        Settings withOverrides(Map<String, Value> o) {
            return new Settings(o, interactive, modelDir, workingDir);
        }

        CompileResult check(SourceFile source) {
            Compiler.Builder b = Compiler.builder().setBuiltins(Stdlib.registry()).optRequireSample(!interactive)
                    .optAllowRedefinition(interactive).optInferLatent(interactive);
            overrides.forEach(b::optOverride);
            return b.build().compile(source);
        }
    }

    /** Builder of a compile: {@code opt*} settings, then {@link #check} (diagnostics as data) or {@link #compile} (a model). */
    public static final class Builder {
        private final Map<String, Value> overrides = new LinkedHashMap<>();
        private boolean interactive;
        private Path modelDir;
        private Path workingDir;

        Builder() {}

        /** Replaces the number bound to {@code name} ({@code dfl run --set name=value}). */
        public Builder optSet(String name, double value) {
            overrides.put(name, new Value.Num(value));
            return this;
        }

        /**
         * The REPL's rules (default off): a program without {@code sample} is not an error (the compiler plans its
         * default sampler), a name may be bound again (the later definition wins), and until a statement names the
         * latent, an undefined name that an observation uses is taken for it, so a model can be entered in any order.
         */
        public Builder optInteractive(boolean on) {
            this.interactive = on;
            return this;
        }

        /** The model file's folder: relative data paths are looked up there after the working folder. */
        public Builder optModelDir(Path dir) {
            this.modelDir = dir == null ? null : dir.toAbsolutePath();
            return this;
        }

        /** The folder relative data paths resolve against first (default: the JVM's working directory). */
        public Builder optWorkingDir(Path dir) {
            this.workingDir = dir == null ? null : dir.toAbsolutePath();
            return this;
        }

        Settings settings() {
            return new Settings(overrides, interactive, modelDir, workingDir);
        }

        /** Compiles {@code source} and returns every diagnostic, the analysis and (without errors) the plan; never throws on a model error. */
        public CompileResult check(SourceFile source) {
            return settings().check(source);
        }

        /**
         * Compiles {@code source} into a model.
         *
         * @throws DflCompileException when the program has errors
         */
        public DflModel compile(SourceFile source) {
            return model(check(source));
        }

        /**
         * The values of a tensor that does not depend on the latent (constants, data files, operators on them), computed
         * now with the runtime; relative data paths resolve as in a run with these settings. The REPL prints them.
         *
         * @throws IllegalArgumentException when the tensor depends on the latent or its shape is not known yet
         * @throws DflRunException          when a file cannot be read (E0301) or a value is not finite
         */
        public double[] evaluate(Value.Tensor tensor) {
            if (tensor.dependsOnLatent() || tensor.shape() == null) {
                throw new IllegalArgumentException("only a tensor of known shape that does not depend on the latent has values before a run");
            }
            dfl.stdlib.runtime.StdlibProvider.Builder pb = dfl.stdlib.runtime.StdlibProvider.builder();
            if (modelDir != null) pb.optModelDir(modelDir);
            if (workingDir != null) pb.optWorkingDir(workingDir);
            try {
                dfl.runtime.LibTorch.requireLoadable();
                try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
                    return new dfl.runtime.likelihood.ExprEvaluator(pb.build(), ai.djl.ndarray.types.DataType.FLOAT64)
                            .constant(tensor.expr(), m).toDoubleArray();
                }
            } catch (dfl.runtime.DflRuntimeException e) {
                throw new DflRunException(e, new SourceFile("<expression>", ""));
            }
        }

        /**
         * The model of an already checked program (what {@link #check} returned with these settings), so that a
         * front end that printed the diagnostics does not compile again.
         *
         * @throws DflCompileException when the result has errors
         */
        public DflModel model(CompileResult checked) {
            return DflModel.of(checked, settings(), Map.of());
        }
    }
}
