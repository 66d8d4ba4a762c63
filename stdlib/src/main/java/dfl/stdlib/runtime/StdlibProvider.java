package dfl.stdlib.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.plan.TorchScriptOperator;
import dfl.runtime.DflRuntimeException;
import dfl.stdlib.ops.OperatorOptions;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.model.TensorOperator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standard library's {@link RuntimeProvider}: shipped models, TorchScript models (priors, conditional priors,
 * factors, classifiers and operators), image operators and data files. Relative data and model paths resolve against the working directory, then against the model file's folder;
 * with {@link Builder#optDataRoot} no file outside that folder is read (for embedded, untrusted models).
 */
public final class StdlibProvider implements RuntimeProvider {

    private final Path modelDir;
    private final Path workingDir;
    private final Path dataRoot;
    private final Map<String, double[]> bound;
    private final RunInputs inputs = new RunInputs();
    private final AtomicBoolean cancel;

    private StdlibProvider(Builder b) {
        this.modelDir = b.modelDir;
        this.workingDir = b.workingDir;
        this.dataRoot = b.dataRoot == null ? null : b.dataRoot.toAbsolutePath().normalize();
        this.bound = Map.copyOf(b.bound);
        this.cancel = b.cancel;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape sampleShape, NDManager manager) {
        if (model instanceof ModelRef.Builtin b && b.name().equals("mnist")) inputs.shipped("diffusion(\"mnist\")", dfl.models.mnist.MnistModels.DIFFUSION);
        return ShippedModelLoader.diffusion(model, schedule, manager, name -> inputs.file("model", name, locate(name)));
    }

    @Override
    public LogDensityFactor factor(FactorRef factor, Shape sampleShape, NDManager manager) {
        if (factor instanceof FactorRef.Classifier c) inputs.shipped("classifier(\"" + c.model() + "\")", dfl.models.mnist.MnistModels.CLASSIFIER);
        return ShippedModelLoader.factor(factor, manager, this::locate);
    }

    @Override
    public TensorOperator operator(TensorExpr.Builtin call) {
        if (call.options() instanceof TorchScriptOperator op) return TorchScriptOp.load(op, this::locate);
        return RuntimeProvider.super.operator(call);
    }

    /** The files this provider has read so far (data, masks, model weights), with their SHA-256, for the run record. */
    public List<dfl.runtime.output.RunRecord.Input> inputs() {
        return inputs.list();
    }

    @Override
    public NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager manager) {
        switch (call.name()) {
            case "mask" -> {
                OperatorOptions.Mask o = (OperatorOptions.Mask) call.options();
                int h = o.height();
                int w = o.width();
                float[] values;
                if (o.kind().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                    double[] grey = readFile(o.kind(), h * w);
                    values = new float[grey.length];
                    for (int i = 0; i < grey.length; i++) values[i] = grey[i] > 0 ? 1f : 0f;
                } else {
                    values = ImageOps.mask(o.kind(), h, w, o.fraction(), o.seed());
                }
                return manager.create(values, new ai.djl.ndarray.types.Shape(h, w));
            }
            case "blur" -> {
                return ImageOps.blur(args.get(0), ((OperatorOptions.Blur) call.options()).sigma());
            }
            case "downsample" -> {
                return ImageOps.downsample(args.get(0), ((OperatorOptions.Downsample) call.options()).factor());
            }
            default -> throw new DflRuntimeException(Code.E0305, "the standard library has no tensor operator '" + call.name() + "'");
        }
    }

    @Override
    public NDArray data(TensorExpr node, NDManager manager) {
        double[] v;
        if (node instanceof TensorExpr.Bound b) {
            v = bound.get(b.name());
            if (v == null) throw new DflRuntimeException(Code.E0301, "no data is bound to '" + b.name() + "'");
        } else if (node instanceof TensorExpr.Load l) {
            v = readFile(l.path(), l.shape().size());
        } else {
            throw new IllegalArgumentException("not a data node: " + node);
        }
        return manager.create(v, ExprEvaluator.toDjl(node.shape()));
    }

    private double[] readFile(String name, long expected) {
        Path p = inputs.file("data", name, locate(name));
        double[] v = DataFiles.read(p, expected, cancel, dataRoot != null);
        if (v.length != expected) {
            throw new DflRuntimeException(Code.E0302, "'" + name + "' holds " + v.length + " values but the model needs " + expected
                    + (v.length == 784 || expected == 784 ? " (a 28×28 image has 784)" : ""));
        }
        return v;
    }

    private Path locate(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new DflRuntimeException(Code.E0301, "cannot read '" + name.replace("\0", "\\0") + "': a file name cannot "
                    + "contain a NUL character");
        }
        Path given = workingDir == null ? Path.of(name) : workingDir.resolve(name);
        Path found = given;
        if (!Path.of(name).isAbsolute() && !Files.exists(given) && modelDir != null && Files.exists(modelDir.resolve(name))) {
            found = modelDir.resolve(name);
        }
        if (dataRoot != null) return DataRoot.confine(dataRoot, found, name);
        return found;
    }

    /** Builder: every setting is optional. */
    public static final class Builder {
        private Path modelDir;
        private Path workingDir;
        private Path dataRoot;
        private final Map<String, double[]> bound = new HashMap<>();
        private AtomicBoolean cancel;

        /** The run's cancellation flag: a data file being read when it is set stops at once (CancellationException). */
        public Builder optCancel(AtomicBoolean flag) {
            this.cancel = flag;
            return this;
        }

        /** The folder of the model file: relative data paths are also looked up there. */
        public Builder optModelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        /** The folder relative data paths are looked up in first (default: the process's working directory). */
        public Builder optWorkingDir(Path dir) {
            this.workingDir = dir;
            return this;
        }

        /** Deny reading any file whose real path (links followed) lies outside {@code root}'s; see {@code DataRoot}. */
        public Builder optDataRoot(Path root) {
            this.dataRoot = root;
            return this;
        }

        /** Data bound from Java under {@code name} (row-major values). */
        public Builder optBound(String name, double[] values) {
            bound.put(name, values.clone());
            return this;
        }

        public StdlibProvider build() {
            return new StdlibProvider(this);
        }

        Optional<Path> modelDir() {
            return Optional.ofNullable(modelDir);
        }
    }
}
