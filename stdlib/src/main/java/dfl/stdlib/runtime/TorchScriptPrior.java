package dfl.stdlib.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dfl.diag.Code;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.Scalars;
import dfl.runtime.schedule.NoiseSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code diffusion(torchscript("model.pt", shape = [...]), parameterization = ...)}: a user TorchScript network as
 * the runtime's {@link DiffusionModel}.
 *
 * <p>Calling convention (docs/models.md): {@code forward(x, t)} with {@code x} float32 {@code [B, ...shape]} and
 * {@code t} float32 {@code [B]}, the 0-based training timestep of the plan's schedule (what the shipped U-Net gets).
 * It returns ε̂ ({@code "eps"}) or ∇ log p_t ({@code "score"}) of shape {@code [B, ...shape]}, or the energy
 * −log p_t(x) up to a constant ({@code "energy"}) of shape {@code [B]}. Scores of an energy network come from autograd
 * through a small parameter-free TorchScript helper ({@code torch.autograd.grad}), which keeps the graph when the
 * caller differentiates through ε̂ (TDS and DPS need ∇ₓ of a function of ∇ₓE). That avoids opening a second
 * {@code GradientCollector} (only one may be open in the process) and libtorch's leaking {@code create_graph}
 * backward.
 *
 * <p>Loading follows DJL's rules for TorchScript from a path: {@code trainParam=true} (parameters outside inference
 * mode), frozen parameters, and every forward with {@code training=true}, which runs the module in its saved
 * {@code eval()} mode while recording autograd. Close it to free the network.
 */
public final class TorchScriptPrior implements DiffusionModel {

    /** Classpath resource of the autograd helper made by stdlib/src/test/python/make_fixtures.py. */
    static final String INPUT_GRAD = "/dfl/stdlib/torchscript/input_grad.pt";

    private final String name;
    private final String parameterization;
    private final Shape shape;
    private final NoiseSchedule schedule;
    private final Model model;
    private final Block block;
    private final Model gradModel;
    private final Block grad;
    private final ParameterStore ps;

    /**
     * The energy computed on the way to the last first-order score, for the x array it was computed at: annealed
     * MCMC asks for score(x) and then energy(x) of the same array, and this saves the second forward pass. Only
     * used outside a collector (GradMode off), where the caller does not differentiate the energy.
     */
    private NDArray memoX;
    private int memoStep;
    private NDArray memoEnergy;

    private TorchScriptPrior(String name, String parameterization, Shape shape, NoiseSchedule schedule, Model model, Model gradModel) {
        this.name = name;
        this.parameterization = parameterization;
        this.shape = shape;
        this.schedule = schedule;
        this.model = model;
        this.block = model.getBlock();
        this.block.freezeParameters(true);
        this.gradModel = gradModel;
        this.grad = gradModel == null ? null : gradModel.getBlock();
        this.ps = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Loads {@code file} (already resolved and access-checked by the provider).
     *
     * @param name the path as the program wrote it, for messages
     * @param parameterization {@code eps}, {@code score} or {@code energy}
     * @throws DflRuntimeException E0301 when the file is missing or unreadable, E0305 when it is not TorchScript or
     *     the parameterization is unknown
     */
    public static TorchScriptPrior load(Path file, String name, String parameterization, Shape shape, NoiseSchedule schedule) {
        if (!java.util.List.of("eps", "score", "energy").contains(parameterization)) {
            throw new DflRuntimeException(Code.E0305, "unknown parameterization '" + parameterization + "' for torchscript(\"" + name
                    + "\"): use \"eps\", \"score\" or \"energy\"");
        }
        if (!Files.exists(file)) {
            throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': no such file"
                    + (Path.of(name).isAbsolute() ? "" : " (looked in the working folder and the model's folder)"));
        }
        if (!Files.isRegularFile(file)) throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': not a file");
        if (!Files.isReadable(file)) throw new DflRuntimeException(Code.E0301, "cannot read TorchScript model '" + name + "': not readable");
        Model model = Model.newInstance("torchscript", Device.cpu(), "PyTorch");
        Model gradModel = null;
        try {
            // trainParam=true keeps the parameters out of inference mode, so input gradients can flow through them
            model.load(file, null, Map.of("trainParam", "true"));
            if (parameterization.equals("energy")) gradModel = loadInputGrad();
            return new TorchScriptPrior(name, parameterization, shape, schedule, model, gradModel);
        } catch (MalformedModelException | IOException | EngineException | IllegalArgumentException e) {
            model.close();
            if (gradModel != null) gradModel.close();
            throw new DflRuntimeException(Code.E0305, "'" + name + "' is not a TorchScript file this runtime can load ("
                    + firstLine(e) + "); save it with torch.jit.script(m).save(path) or torch.jit.trace(m, (x, t)).save(path)");
        }
    }

    private static Model loadInputGrad() throws IOException, MalformedModelException {
        Model m = Model.newInstance("input-grad", Device.cpu(), "PyTorch");
        try (InputStream in = TorchScriptPrior.class.getResourceAsStream(INPUT_GRAD)) {
            if (in == null) throw new IOException("the autograd helper " + INPUT_GRAD + " is missing from the classpath");
            m.load(in);
            return m;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** {@code eps}, {@code score} or {@code energy}. */
    public String parameterization() {
        return parameterization;
    }

    @Override
    public Shape sampleShape() {
        return shape;
    }

    @Override
    public NoiseSchedule schedule() {
        return schedule;
    }

    @Override
    public DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    public boolean hasEnergy() {
        return parameterization.equals("energy");
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        if (parameterization.equals("eps")) return call(xt, trainStep, xt.getShape(), "ε̂");
        // ε̂ = −√(1−ᾱ) ∇ log p_t, the identity the default score() inverts
        return Scalars.mul(score(xt, trainStep), -Math.sqrt(1 - schedule.alphaBar(trainStep)));
    }

    @Override
    public NDArray score(NDArray xt, int trainStep) {
        return switch (parameterization) {
            case "score" -> call(xt, trainStep, xt.getShape(), "score");
            case "energy" -> energyGradient(xt, trainStep).neg();
            default -> DiffusionModel.super.score(xt, trainStep);
        };
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep) {
        if (!hasEnergy()) return DiffusionModel.super.energy(xt, trainStep);
        if (xt == memoX && trainStep == memoStep && !JniUtils.isGradMode()) {
            NDArray e = memoEnergy;
            forget();
            return e;
        }
        return call(xt, trainStep, new ai.djl.ndarray.types.Shape(xt.getShape().get(0)), "energy");
    }

    /**
     * ∇ₓE at {@code xt}. Inside a {@code GradientCollector} (libtorch's thread-local GradMode on) the caller may
     * differentiate through the result (TDS/DPS twists), so the helper keeps the graph (second order); otherwise
     * the result is a plain first-order gradient and GradMode is switched on for this call only. E is evaluated at
     * x = xt + z with z a zero leaf that requires a gradient: x is differentiable whether or not xt already is
     * (DJL 0.35.1 cannot tell: its requiresGrad() is false for every non-leaf tensor), and xt's own graph is kept.
     */
    private NDArray energyGradient(NDArray xt, int trainStep) {
        boolean outer = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray z = xt.zerosLike();
            z.setRequiresGradient(true);
            NDArray x = xt.add(z);
            NDArray e = energy(x, trainStep);
            NDArray flag = xt.getManager().create(outer ? 1f : 0f);
            try {
                NDArray g = grad.forward(ps, new NDList(e, x, flag), true).singletonOrThrow();
                forget();
                if (!outer) {
                    memoX = xt;
                    memoStep = trainStep;
                    memoEnergy = e.stopGradient();
                }
                return g;
            } catch (EngineException ex) {
                throw new DflRuntimeException(Code.E0305, "the energy of torchscript(\"" + name + "\") cannot be differentiated with "
                        + "respect to x (" + firstLine(ex) + "); the energy must be a differentiable function of x");
            }
        } finally {
            JniUtils.setGradMode(outer);
        }
    }

    private void forget() {
        memoX = null;
        memoEnergy = null;
    }

    /** One forward call with t as a [K] float32 vector; checks the output's shape. */
    private NDArray call(NDArray xt, int trainStep, ai.djl.ndarray.types.Shape expected, String what) {
        long k = xt.getShape().get(0);
        float[] t = new float[(int) k];
        Arrays.fill(t, trainStep);
        NDArray out;
        try {
            out = block.forward(ps, new NDList(xt, xt.getManager().create(t)), true).singletonOrThrow();
        } catch (EngineException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + name + "\") failed on x of shape " + xt.getShape()
                    + " and t of shape [" + k + "] (" + firstLine(e) + "); its forward must take (x: float32 [B, "
                    + dims() + "], t: float32 [B]) and return one tensor");
        }
        if (!out.getShape().equals(expected)) {
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + name + "\") returned shape " + out.getShape() + " for a batch of "
                    + k + ", but a model with parameterization = \"" + parameterization + "\" must return its " + what + " of shape "
                    + expected + (what.equals("energy") ? " (one number per sample)" : " (declared shape = [" + dims() + "])"));
        }
        return out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false);
    }

    private String dims() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) b.append(i == 0 ? "" : ", ").append(shape.dim(i));
        return b.toString();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        forget();
        model.close();
        if (gradModel != null) gradModel.close();
    }
}
