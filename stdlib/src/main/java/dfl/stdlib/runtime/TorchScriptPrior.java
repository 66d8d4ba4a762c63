package dfl.stdlib.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dfl.diag.Code;
import dfl.plan.Condition;
import dfl.plan.Shape;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.model.ConditionalDiffusionModel;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.Scalars;
import dfl.runtime.schedule.NoiseSchedule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code diffusion(torchscript("model.pt", shape = [...]), parameterization = ...)}: a user TorchScript network as
 * the runtime's {@link DiffusionModel}, and with {@code cond = ...} a conditional network as a
 * {@link ConditionalDiffusionModel}.
 *
 * <p>Calling convention (docs/models.md): {@code forward(x, t)} with {@code x} float32 {@code [B, ...shape]} and
 * {@code t} float32 {@code [B]}, the 0-based training timestep of the plan's schedule (what the shipped U-Net gets).
 * A conditional network takes a third input {@code c}: int64 {@code [B]} labels (the null condition is the label
 * {@code classes}) or a float32 {@code [B, n]} vector. It returns ε̂ ({@code "eps"}) or ∇ log p_t ({@code "score"}) of
 * shape {@code [B, ...shape]}, or the energy −log p_t(x) up to a constant ({@code "energy"}) of shape {@code [B]}.
 * Scores of an energy network come from autograd through a small parameter-free TorchScript helper
 * ({@code torch.autograd.grad}), which keeps the graph when the caller differentiates through ε̂ (TDS and DPS need
 * ∇ₓ of a function of ∇ₓE). That avoids opening a second {@code GradientCollector} (only one may be open in the
 * process) and libtorch's leaking {@code create_graph} backward. Close it to free the network.
 */
public final class TorchScriptPrior implements DiffusionModel, ConditionalDiffusionModel {

    /** Classpath resource of the autograd helper made by stdlib/src/test/python/make_fixtures.py. */
    static final String INPUT_GRAD = "/dfl/stdlib/torchscript/input_grad.pt";

    private final String parameterization;
    private final Shape shape;
    private final NoiseSchedule schedule;
    private final TorchScriptModule network;
    /** The number of labels of a label-conditioned network (its null label); 0 otherwise. */
    private final int classes;
    private final boolean conditional;
    private final Model gradModel;
    private final Block grad;
    private final ParameterStore ps;

    /**
     * The energy computed on the way to the last first-order score, for the x array (and condition) it was computed at:
     * annealed MCMC asks for score(x) and then energy(x) of the same array, and this saves the second forward pass. Only
     * used outside a collector (GradMode off), where the caller does not differentiate the energy.
     */
    private NDArray memoX;
    private int memoStep;
    private Condition memoCondition;
    private NDArray memoEnergy;

    private TorchScriptPrior(String parameterization, Shape shape, NoiseSchedule schedule, TorchScriptModule network,
            boolean conditional, int classes, Model gradModel) {
        this.parameterization = parameterization;
        this.shape = shape;
        this.schedule = schedule;
        this.network = network;
        this.conditional = conditional;
        this.classes = classes;
        this.gradModel = gradModel;
        this.grad = gradModel == null ? null : gradModel.getBlock();
        this.ps = gradModel == null ? null : new ParameterStore(gradModel.getNDManager(), false);
    }

    /**
     * Loads the unconditional network {@code file} (already resolved and access-checked by the provider).
     *
     * @param name the path as the program wrote it, for messages
     * @param parameterization {@code eps}, {@code score} or {@code energy}
     * @throws DflRuntimeException E0301 when the file is missing or unreadable, E0305 when it is not TorchScript or
     *     the parameterization is unknown
     */
    public static TorchScriptPrior load(Path file, String name, String parameterization, Shape shape, NoiseSchedule schedule) {
        return open(file, name, parameterization, shape, schedule, false, 0);
    }

    /**
     * Loads the conditional network {@code file}: {@code forward(x, t, c)}; {@code classes} is its number of labels (the
     * null condition is passed as the label {@code classes}), 0 for a vector-conditioned network.
     */
    public static ConditionalDiffusionModel loadConditional(Path file, String name, String parameterization, Shape shape,
            NoiseSchedule schedule, int classes) {
        return open(file, name, parameterization, shape, schedule, true, classes);
    }

    private static TorchScriptPrior open(Path file, String name, String parameterization, Shape shape, NoiseSchedule schedule,
            boolean conditional, int classes) {
        if (!List.of("eps", "score", "energy").contains(parameterization)) {
            throw new DflRuntimeException(Code.E0305, "unknown parameterization '" + parameterization + "' for torchscript(\"" + name
                    + "\"): use \"eps\", \"score\" or \"energy\"");
        }
        TorchScriptModule network = TorchScriptModule.open(file, name);
        try {
            Model gradModel = parameterization.equals("energy") ? loadInputGrad() : null;
            return new TorchScriptPrior(parameterization, shape, schedule, network, conditional, classes, gradModel);
        } catch (MalformedModelException | IOException | EngineException e) {
            network.close();
            throw new IllegalStateException("the autograd helper " + INPUT_GRAD + " cannot be loaded", e);
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

    /** A user's network declares no data range, so no W0006 for its samples. */
    @Override
    public java.util.Optional<double[]> dataRange() {
        return java.util.Optional.empty();
    }

    @Override
    public boolean hasEnergy() {
        return parameterization.equals("energy");
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep) {
        return epsOf(xt, trainStep, unconditional());
    }

    @Override
    public NDArray eps(NDArray xt, int trainStep, Condition condition) {
        return epsOf(xt, trainStep, required(condition));
    }

    @Override
    public NDArray score(NDArray xt, int trainStep) {
        return scoreOf(xt, trainStep, unconditional());
    }

    @Override
    public NDArray score(NDArray xt, int trainStep, Condition condition) {
        return scoreOf(xt, trainStep, required(condition));
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep) {
        return energyOf(xt, trainStep, unconditional());
    }

    @Override
    public NDArray energy(NDArray xt, int trainStep, Condition condition) {
        return energyOf(xt, trainStep, required(condition));
    }

    /** The DiffusionModel face is for unconditional networks: their forward takes no condition (null below). */
    private Condition unconditional() {
        if (conditional) throw new IllegalStateException("a conditional network is called with a condition");
        return null;
    }

    private Condition required(Condition c) {
        if (!conditional) throw new IllegalStateException("an unconditional network is called without a condition");
        return Objects.requireNonNull(c, "condition");
    }

    private NDArray epsOf(NDArray xt, int trainStep, Condition c) {
        if (parameterization.equals("eps")) return call(xt, trainStep, c, xt.getShape(), "ε̂");
        // ε̂ = −√(1−ᾱ) ∇ log p_t, the identity the default score() inverts
        return Scalars.mul(scoreOf(xt, trainStep, c), -Math.sqrt(1 - schedule.alphaBar(trainStep)));
    }

    private NDArray scoreOf(NDArray xt, int trainStep, Condition c) {
        return switch (parameterization) {
            case "score" -> call(xt, trainStep, c, xt.getShape(), "score");
            case "energy" -> energyGradient(xt, trainStep, c).neg();
            default -> Scalars.mul(epsOf(xt, trainStep, c), -1.0 / Math.sqrt(1 - schedule.alphaBar(trainStep)));
        };
    }

    private NDArray energyOf(NDArray xt, int trainStep, Condition c) {
        if (!hasEnergy()) return DiffusionModel.super.energy(xt, trainStep);
        if (xt == memoX && trainStep == memoStep && Objects.equals(c, memoCondition) && !JniUtils.isGradMode()) {
            NDArray e = memoEnergy;
            forget();
            return e;
        }
        return call(xt, trainStep, c, new ai.djl.ndarray.types.Shape(xt.getShape().get(0)), "energy");
    }

    /**
     * ∇ₓE at {@code xt}. Inside a {@code GradientCollector} (libtorch's thread-local GradMode on) the caller may
     * differentiate through the result (TDS/DPS twists), so the helper keeps the graph (second order); otherwise
     * the result is a plain first-order gradient and GradMode is switched on for this call only. E is evaluated at
     * x = xt + z with z a zero leaf that requires a gradient: x is differentiable whether or not xt already is
     * (DJL 0.35.1 cannot tell: its requiresGrad() is false for every non-leaf tensor), and xt's own graph is kept.
     */
    private NDArray energyGradient(NDArray xt, int trainStep, Condition c) {
        boolean outer = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            NDArray z = xt.zerosLike();
            z.setRequiresGradient(true);
            NDArray x = xt.add(z);
            NDArray e = energyOf(x, trainStep, c);
            NDArray flag = xt.getManager().create(outer ? 1f : 0f);
            try {
                NDArray g = grad.forward(ps, new NDList(e, x, flag), true).singletonOrThrow();
                forget();
                if (!outer) {
                    memoX = xt;
                    memoStep = trainStep;
                    memoCondition = c;
                    memoEnergy = e.stopGradient();
                }
                return g;
            } catch (EngineException ex) {
                throw new DflRuntimeException(Code.E0305, "the energy of torchscript(\"" + network.name() + "\") cannot be differentiated with "
                        + "respect to x (" + TorchScriptModule.firstLine(ex) + "); the energy must be a differentiable function of x");
            }
        } finally {
            JniUtils.setGradMode(outer);
        }
    }

    private void forget() {
        memoX = null;
        memoEnergy = null;
        memoCondition = null;
    }

    /** One forward call with t as a [K] float32 vector (and the condition c, if given); checks the output's shape. */
    private NDArray call(NDArray xt, int trainStep, Condition c, ai.djl.ndarray.types.Shape expected, String what) {
        long k = xt.getShape().get(0);
        NDManager m = xt.getManager();
        float[] t = new float[(int) k];
        Arrays.fill(t, trainStep);
        NDList in = new NDList(xt, m.create(t));
        String got = "x of shape " + xt.getShape() + " and t of shape [" + k + "]";
        String takes = "(x: float32 [B, " + TorchScriptModule.dims(shape) + "], t: float32 [B]";
        if (c != null) {
            in.add(conditionInput(c, k, m));
            got = "x of shape " + xt.getShape() + ", t of shape [" + k + "] and c of shape " + in.get(2).getShape();
            takes += ", c: " + (classes > 0 ? "int64 [B] (labels 0 to " + classes + ", " + classes + " the null condition)" : "float32 [B, n]");
        }
        NDArray out = network.forward(in, got, takes + ")" + (c == null ? " (a conditional network needs cond = ... in diffusion(...))" : ""));
        if (!out.getShape().equals(expected)) {
            throw new DflRuntimeException(Code.E0305, "torchscript(\"" + network.name() + "\") returned shape " + out.getShape() + " for a batch of "
                    + k + ", but a model with parameterization = \"" + parameterization + "\" must return its " + what + " of shape "
                    + expected + (what.equals("energy") ? " (one number per sample)" : " (declared shape = [" + TorchScriptModule.dims(shape) + "])"));
        }
        return Scalars.cast(out, DataType.FLOAT32);
    }

    /** c for a batch of k: int64 [k] labels (null: the label {@code classes}), or float32 [k, n] for a vector. */
    private NDArray conditionInput(Condition c, long k, NDManager m) {
        if (c instanceof Condition.Vector v) {
            int n = v.values().size();
            float[] rows = new float[(int) k * n];
            for (int p = 0; p < k; p++) for (int i = 0; i < n; i++) rows[p * n + i] = v.values().get(i).floatValue();
            return m.create(rows, new ai.djl.ndarray.types.Shape(k, n));
        }
        long[] labels = new long[(int) k];
        Arrays.fill(labels, c instanceof Condition.Label l ? l.index() : classes);
        return m.create(labels);
    }

    @Override
    public void close() {
        forget();
        network.close();
        if (gradModel != null) gradModel.close();
    }
}
