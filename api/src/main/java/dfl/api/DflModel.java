package dfl.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dfl.ast.Stmt;
import dfl.compiler.Checked;
import dfl.compiler.CompileResult;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;
import dfl.plan.PlanPrinter;
import dfl.plan.SamplerPlan;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.source.SourceFile;
import dfl.source.Span;
import dfl.runtime.output.RunRecord;
import dfl.stdlib.runtime.DataArrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A compiled DFL program: the compiler's result (its analysis and {@link SamplerPlan}) and the data bound to it
 * from Java. Immutable: {@link #bind} returns a new model, so one compiled model can be reused with different data.
 */
public final class DflModel {

    private final CompileResult compiled;
    private final Dfl.Settings settings;
    private final Map<String, double[]> bound;
    /** The file each bound name came from ({@link #bind(String, Path)}), for the run record. */
    private final Map<String, Path> boundFiles;
    private final SamplerPlan plan;

    private DflModel(CompileResult compiled, Dfl.Settings settings, Map<String, double[]> bound, Map<String, Path> boundFiles) {
        this.compiled = compiled;
        this.settings = settings;
        this.bound = Map.copyOf(bound);
        this.boundFiles = Map.copyOf(boundFiles);
        this.plan = compiled.plan().orElseThrow();
    }

    /** The model of a compile result; a result without a plan (errors) is a {@link DflCompileException}. */
    static DflModel of(CompileResult compiled, Dfl.Settings settings, Map<String, double[]> bound) {
        return of(compiled, settings, bound, Map.of());
    }

    private static DflModel of(CompileResult compiled, Dfl.Settings settings, Map<String, double[]> bound, Map<String, Path> boundFiles) {
        if (compiled.plan().isEmpty()) throw new DflCompileException(compiled.source(), compiled.diagnostics());
        return new DflModel(compiled, settings, bound, boundFiles);
    }

    /** The model's name (the file name without extension). */
    public String name() {
        return plan.modelName();
    }

    /** The program text as compiled. */
    public SourceFile source() {
        return compiled.source();
    }

    /** The compiler's whole result: the parsed program, the analysis, the plan and every diagnostic. */
    public CompileResult compiled() {
        return compiled;
    }

    /** The sampler plan: target terms, sampler and settings, and why that sampler. */
    public SamplerPlan plan() {
        return plan;
    }

    /** The plan as {@code dfl plan} prints it. */
    public String planText() {
        return PlanPrinter.print(plan);
    }

    /** Warnings of the compile (a model with errors never gets this far). */
    public List<Diagnostic> warnings() {
        return compiled.warnings();
    }

    /** The folder relative data paths are also looked up in (the model file's), if any. */
    public Optional<Path> modelDir() {
        return Optional.ofNullable(settings.modelDir());
    }

    /** The folder relative data paths resolve against first, if set (else the JVM's working directory). */
    public Optional<Path> workingDir() {
        return Optional.ofNullable(settings.workingDir());
    }
    /** Data bound from Java so far, by name (copies). */
    public Map<String, double[]> bound() {
        Map<String, double[]> copy = new LinkedHashMap<>();
        bound.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * Replaces the value of the top-level binding {@code name} with data from Java and recompiles. A binding
     * to a number takes one value; a binding to a tensor takes that many values (row-major) and keeps its
     * shape; a binding whose shape is not known before its file is read ({@code load("y.png")}) takes the
     * shape of the array ({@code [n]} for a Java array).
     *
     * @throws IllegalArgumentException when {@code name} is not a binding to data, or the sizes differ
     * @throws DflCompileException      when the program no longer compiles with the data (e.g. its shape)
     */
    public DflModel bind(String name, double[] values) {
        return bind(name, values.clone(), new long[] {values.length});
    }

    /** {@link #bind(String, double[])} for float data. */
    public DflModel bind(String name, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return bind(name, d, new long[] {values.length});
    }

    /** {@link #bind(String, double[])} for an NDArray (any numeric type; its shape is used when the binding has none). */
    public DflModel bind(String name, NDArray array) {
        double[] d;
        try (NDArray as64 = array.toType(DataType.FLOAT64, true)) {
            d = as64.toDoubleArray();
        }
        return bind(name, d, array.getShape().getShape());
    }

    /**
     * Binds the contents of a data file ({@code .png} scaled to [-1, 1], {@code .npy} or {@code .csv}), read now
     * by the same reader as {@code load(...)}; a relative path is looked up in the working directory, then in the
     * model's folder. The file's shape is kept where the program gives the binding none (see
     * {@link #bind(String, double[])}): a {@code .npy} array's shape, {@code [h, w]} for an image, {@code [rows, columns]}
     * for a CSV table ({@code [n]} for one row or one column). The file and its
     * SHA-256 go into the run record.
     *
     * @throws DflRunException when the file cannot be read (E0301)
     */
    public DflModel bind(String name, Path file) {
        Path p = file;
        if (!p.isAbsolute() && settings.workingDir() != null) p = settings.workingDir().resolve(p);
        Path modelDir = settings.modelDir();
        if (!file.isAbsolute() && !Files.exists(p) && modelDir != null && Files.exists(modelDir.resolve(file))) p = modelDir.resolve(file);
        DataArrays.Array data;
        try {
            data = DataArrays.read(p);
        } catch (DflRuntimeException e) {
            throw new DflRunException(e, source());
        }
        return bind(name, data.values(), data.shape(), p.toAbsolutePath().normalize());
    }

    private DflModel bind(String name, double[] values, long[] dataShape) {
        return bind(name, values, dataShape, null);
    }

    private DflModel bind(String name, double[] values, long[] dataShape, Path from) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + (i + 1) + " of the data bound to '" + name + "' is " + values[i]
                        + "; data must be finite numbers");
            }
        }
        Optional<Checked.Binding> binding = compiled.analysis().binding(name).filter(b -> b.statement() instanceof Stmt.Binding);
        if (binding.isEmpty()) {
            throw new IllegalArgumentException("'" + name + "' is not bound in " + source().name()
                    + "; bind(...) replaces the value of a binding such as 'y = [1.2];' or 'y = load(\"y.png\");'");
        }
        // the value the program gives it (any earlier bind of the same name undone), read from the analysis
        Value current = binding.get().declared();
        if (current instanceof Value.Error) throw new IllegalArgumentException("'" + name + "' has no value to replace");
        Value replacement;
        if (current instanceof Value.Num) {
            if (values.length != 1) {
                throw new IllegalArgumentException("'" + name + "' is a number; bind one value, not " + values.length);
            }
            replacement = new Value.Num(values[0]);
        } else if (current instanceof Value.Tensor t) {
            Shape shape = t.shape();
            // a load(...) without shape = [...] has the shape the program gives it (the mean it is observed against)
            if (shape == null) shape = inferredShape(t.expr()).filter(s -> s.size() == values.length).orElse(shapeOf(dataShape));
            if (shape.size() != values.length) {
                throw new IllegalArgumentException("'" + name + "' is a tensor " + shape + " (" + shape.size() + " values); the data has "
                        + values.length + " values");
            }
            replacement = new Value.Tensor(shape, new TensorExpr.Bound(name, shape, Span.NONE), false);
        } else {
            throw new IllegalArgumentException("'" + name + "' is " + current.describe() + ", not data; only numbers and tensors can be bound");
        }
        Map<String, Value> o = new LinkedHashMap<>(settings.overrides());
        o.put(name, replacement);
        Map<String, double[]> b = new LinkedHashMap<>(bound);
        if (replacement instanceof Value.Tensor) b.put(name, values);
        else b.remove(name);
        Map<String, Path> files = new LinkedHashMap<>(boundFiles);
        if (from != null) files.put(name, from);
        else files.remove(name);
        Dfl.Settings next = settings.withOverrides(o);
        return of(next.check(source()), next, b, files);
    }

    /** The shape the compiled plan gave the data node {@code declared} (a load whose shape was inferred), if it uses it. */
    private Optional<Shape> inferredShape(TensorExpr declared) {
        if (!(declared instanceof TensorExpr.Load load)) return Optional.empty();
        return plan.likelihoods().stream().map(SamplerPlan.Likelihood::data)
                .filter(d -> d instanceof TensorExpr.Load l && l.path().equals(load.path()) && l.span().equals(load.span()))
                .map(TensorExpr::shape).filter(java.util.Objects::nonNull).findFirst();
    }

    private static Shape shapeOf(long[] dims) {
        return new Shape(Arrays.stream(dims).mapToObj(d -> (int) d).toList());
    }

    /** A builder for a run of this model's sampler: every {@code opt*} setting defaults to the plan's. */
    public SamplerRun.Builder sampler() {
        return new SamplerRun.Builder(this);
    }

    Map<String, double[]> boundData() {
        return bound;
    }

    /** The numbers that replace bindings ({@code --set}, or a number bound from Java), by name. */
    Map<String, Double> sets() {
        Map<String, Double> out = new LinkedHashMap<>();
        settings.overrides().forEach((k, v) -> {
            if (v instanceof Value.Num n) out.put(k, n.value());
        });
        return out;
    }

    /** The bound arrays as run inputs: the file each came from (with its SHA-256), or the SHA-256 of the values. */
    List<RunRecord.Input> boundInputs() {
        List<RunRecord.Input> out = new java.util.ArrayList<>();
        new java.util.TreeMap<>(bound).forEach((k, v) -> {
            Path f = boundFiles.get(k);
            out.add(f != null ? new RunRecord.Input("bound", k, f.toString(), RunRecord.sha256(f))
                    : new RunRecord.Input("bound", k, "", RunRecord.sha256(v)));
        });
        return out;
    }

    /** The program's file (absolute) when it was compiled from one, else its name. */
    String programPath() {
        String name = source().name();
        if (settings.modelDir() != null && name.endsWith(".dfl")) return settings.modelDir().resolve(Path.of(name).getFileName()).toString();
        return name;
    }

    @Override
    public String toString() {
        return "DflModel[" + name() + ", sampler " + plan.sampler().name() + ", bound " + bound.keySet() + "]";
    }
}
