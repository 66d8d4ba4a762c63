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
import java.util.Map;

/**
 * Entry point of the embedding API: compile a DFL program into a {@link DflModel}.
 *
 * <pre>{@code
 * DflModel m = Dfl.compile(Path.of("m.dfl")).bind("y", new double[] {1.2});
 * try (SamplerRun r = m.sampler().setParticles(256).optSeed(1).build()) {
 *     Result res = r.run();
 *     double[] mean = res.mean();
 * }
 * }</pre>
 *
 * Compiling is pure: it reads no data file and runs no user code, so untrusted source can be compiled;
 * files named by the program ({@code load}, {@code mask("x.png")}, {@code torchscript}) are read only by
 * {@link SamplerRun#run()}, and {@link SamplerRun.Builder#optDataRoot} confines them to one folder.
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
        Path dir = file.toAbsolutePath().getParent();
        return compile(new SourceFile(file.toString(), text), dir, Map.of(), Map.of());
    }

    /**
     * Compiles a program given as text. {@code name} is used in diagnostics and as the model's name (the
     * default output folder); relative data paths resolve against the working directory.
     *
     * @throws DflCompileException when the program has errors
     */
    public static DflModel compile(String source, String name) {
        return compile(new SourceFile(name, source), null, Map.of(), Map.of());
    }

    static DflModel compile(SourceFile source, Path modelDir, Map<String, Value> overrides, Map<String, double[]> bound) {
        Compiler.Builder b = Compiler.builder().setBuiltins(Stdlib.registry());
        overrides.forEach(b::optOverride);
        CompileResult r = b.build().compile(source);
        if (r.plan().isEmpty()) throw new DflCompileException(source, r.diagnostics());
        return new DflModel(source, modelDir, overrides, bound, r.plan().get(), r.warnings());
    }
}
