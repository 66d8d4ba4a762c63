package dfl.stdlib.runtime;

import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.ConditionalDiffusionModel;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.schedule.NoiseSchedule;
import dfl.models.mnist.MnistModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Loads the networks behind {@code diffusion("mnist")}, {@code diffusion(torchscript(...))} (with {@code cond = ...}:
 * conditional networks), {@code classifier("mnist", ...)}, {@code classifier(torchscript(...), ...)} and
 * {@code factor(torchscript(...))}.
 */
final class ShippedModelLoader {

    private ShippedModelLoader() {}

    /**
     * @param locate resolves a path written in the program to the file to open (working folder, then the model's
     *     folder; throws E0306 outside the data root), the same rules as {@code load(...)}
     */
    static DiffusionModel diffusion(ModelRef model, Schedule schedule, NDManager manager, Function<String, Path> locate) {
        if (model instanceof ModelRef.Builtin b && b.name().equals("mnist")) {
            return shipped(manager, "diffusion weights", " (they are trained with: dfl train diffusion)",
                    weights -> new MnistPrior(weights, MnistModels.loadDiffusion(weights), schedule));
        }
        if (model instanceof ModelRef.TorchScript t) {
            return TorchScriptPrior.load(locate.apply(t.path()), t.path(), t.parameterization(), t.shape(), NoiseSchedule.of(schedule));
        }
        if (model instanceof ModelRef.Conditional c) return conditional(c, schedule, manager, locate).given(c.condition());
        throw new DflRuntimeException(Code.E0305, "no shipped diffusion model " + model);
    }

    /**
     * The conditional network behind {@code diffusion(model, cond = c)}: a TorchScript file, or a shipped conditional
     * network ({@code ShippedModels.conditional} lists them, and each is opened here).
     */
    static ConditionalDiffusionModel conditional(ModelRef.Conditional c, Schedule schedule, NDManager manager, Function<String, Path> locate) {
        if (c.network() instanceof ModelRef.TorchScript t) {
            return TorchScriptPrior.loadConditional(locate.apply(t.path()), t.path(), t.parameterization(), t.shape(), NoiseSchedule.of(schedule),
                    c.classes());
        }
        if (c.network() instanceof ModelRef.Builtin b && b.name().equals("mnist")) {
            return shipped(manager, "class-conditional weights", " (they are trained with: training/run-conditional.sh)",
                    weights -> new MnistConditionalPrior(weights, MnistModels.loadConditionalDiffusion(weights), schedule));
        }
        throw new DflRuntimeException(Code.E0305, "no shipped conditional diffusion model " + c.network());
    }

    static LogDensityFactor factor(FactorRef factor, NDManager manager, Function<String, Path> locate) {
        if (factor instanceof FactorRef.TorchScript t) return TorchScriptFactor.load(locate.apply(t.path()), t);
        if (factor instanceof FactorRef.TorchScriptClassifier t) return TorchScriptFactor.load(locate.apply(t.path()), t);
        FactorRef.Classifier c = (FactorRef.Classifier) factor;
        if (!c.model().equals("mnist")) throw new DflRuntimeException(Code.E0305, "no shipped classifier \"" + c.model() + "\"");
        return shipped(manager, "classifier", "",
                weights -> new MnistClassifierFactor(weights, MnistModels.loadClassifier(weights, false), c.label(), c.temperature()));
    }

    /** Opens a shipped MNIST network in its own sub-manager of {@code manager}, which is closed again when loading fails. */
    private static <T> T shipped(NDManager manager, String what, String hint, WeightsLoader<T> open) {
        NDManager weights = manager.newSubManager();
        try {
            return open.load(weights);
        } catch (IOException e) {
            weights.close();
            throw new DflRuntimeException(Code.E0305, "the shipped MNIST " + what + " cannot be loaded: " + e.getMessage() + hint);
        }
    }

    /** Reads a network's weights into {@code weights}. */
    @FunctionalInterface
    private interface WeightsLoader<T> {
        T load(NDManager weights) throws IOException;
    }
}
