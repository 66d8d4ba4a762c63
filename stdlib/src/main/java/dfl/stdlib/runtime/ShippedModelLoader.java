package dfl.stdlib.runtime;

import ai.djl.ndarray.NDManager;
import dfl.diag.Code;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.LogDensityFactor;

/** Loads the networks behind {@code diffusion("mnist")}, {@code classifier("mnist", ...)} and TorchScript models. */
final class ShippedModelLoader {

    private ShippedModelLoader() {}

    static DiffusionModel diffusion(ModelRef model, Schedule schedule, NDManager manager) {
        throw new DflRuntimeException(Code.E0305, "the network behind " + describe(model)
                + " is not available in this build yet: only gmm(...) priors run");
    }

    static LogDensityFactor factor(FactorRef factor, NDManager manager) {
        throw new DflRuntimeException(Code.E0305, "the classifier behind " + factor + " is not available in this build yet");
    }

    private static String describe(ModelRef model) {
        if (model instanceof ModelRef.Builtin b) return "diffusion(\"" + b.name() + "\")";
        if (model instanceof ModelRef.TorchScript t) return "torchscript(\"" + t.path() + "\")";
        return model.toString();
    }
}
