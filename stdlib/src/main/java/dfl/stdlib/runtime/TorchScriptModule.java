package dfl.stdlib.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A user TorchScript file loaded for a run: its module with frozen parameters, called with autograd recording so that
 * samplers can take input gradients, and the diagnostics every use of such a file shares (E0301 for a missing file,
 * E0305 for a file that is not TorchScript or a forward that fails).
 *
 * <p>Loading follows DJL's rules for TorchScript from a path: {@code trainParam=true} (parameters outside inference
 * mode, so input gradients flow through them), frozen parameters, and every forward with {@code training=true}, which
 * runs the module in its saved {@code eval()} mode while recording autograd.
 */
final class TorchScriptModule implements AutoCloseable {

    private final String name;
    private final Model model;
    private final Block block;
    private final ParameterStore ps;

    private TorchScriptModule(String name, Model model) {
        this.name = name;
        this.model = model;
        this.block = model.getBlock();
        this.block.freezeParameters(true);
        this.ps = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Loads {@code file} (already resolved and access-checked by the provider).
     *
     * @param name the path as the program wrote it, for messages
     * @throws DflRuntimeException E0301 when the file is missing or unreadable, E0305 when it is not TorchScript
     */
    static TorchScriptModule open(Path file, String name) {
        if (!Files.exists(file)) {
            throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': no such file"
                    + (Path.of(name).isAbsolute() ? "" : " (looked in the working folder and the model's folder)"));
        }
        if (!Files.isRegularFile(file)) throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': not a file");
        if (!Files.isReadable(file)) throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': not readable");
        Model model = Model.newInstance("torchscript", Device.cpu(), "PyTorch");
        try {
            model.load(file, null, Map.of("trainParam", "true"));
            return new TorchScriptModule(name, model);
        } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
            model.close();
            throw new DflRuntimeException(Code.E0305, "'" + name + "' is not a TorchScript file this runtime can load ("
                    + firstLine(e) + "); save it with torch.jit.script(m).save(path) or torch.jit.trace(m, example_inputs).save(path)");
        }
    }

    /** The path as the program wrote it. */
    String name() {
        return name;
    }

    /**
     * {@code forward(inputs)}: its one output tensor. A failure inside the module (wrong arity, a shape the network
     * cannot take, no forward method) is E0305 naming the file, what it got ({@code gotWhat}) and what its forward must
     * take ({@code mustTake}).
     */
    NDArray forward(NDList inputs, String gotWhat, String mustTake) {
        try {
            return block.forward(ps, inputs, true).singletonOrThrow();
        } catch (EngineException | IllegalArgumentException | IndexOutOfBoundsException e) {
            String m = firstLine(e);
            if (m.contains("'forward' is not defined")) {
                throw new DflRuntimeException(Code.E0305, "torchscript(\"" + name + "\") has no forward method (" + m + "); DFL calls forward, "
                        + "which must take " + mustTake + " and return one tensor");
            }
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + name + "\") failed on " + gotWhat + " (" + m + "); its forward must take "
                    + mustTake + " and return one tensor");
        }
    }

    /** A shape as the calling conventions write it: {@code 1, 28, 28}. */
    static String dims(Shape shape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) b.append(i == 0 ? "" : ", ").append(shape.dim(i));
        return b.toString();
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        model.close();
    }
}
