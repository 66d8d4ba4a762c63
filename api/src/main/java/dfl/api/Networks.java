package dfl.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.ForwardingDiffusionModel;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Networks loaded once and lent to many runs ({@link SamplerRun.Builder#optNetworks}): without it every
 * {@link SamplerRun#run()} loads the program's networks (the MNIST U-Net, a classifier, a TorchScript file) and frees
 * them at its end. A run borrows a loaded network for its duration and gives it back when it ends, so networks are
 * never shared by two runs at the same time; runs on several threads each get their own copy, loaded the first time
 * that many run at once. {@link #close()} frees every network (no run may be using them then).
 *
 * <pre>{@code
 * try (Networks nets = new Networks()) {
 *     for (double[] y : observations) {
 *         try (SamplerRun r = model.bind("y", y).sampler().optNetworks(nets).optSeed(1).build()) {
 *             results.add(r.run());
 *         }
 *     }
 * }
 * }</pre>
 */
public final class Networks implements AutoCloseable {

    private final NDManager manager = NDManager.newBaseManager();
    private final Map<Object, Deque<AutoCloseable>> idle = new ConcurrentHashMap<>();
    private final List<AutoCloseable> all = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();
    private volatile boolean closed;

    /** An empty pool; networks are loaded when a run first needs them. */
    public Networks() {}

    /** How many networks were loaded so far (a copy per network and per concurrent run). */
    public int loads() {
        return loads.get();
    }

    /** {@code provider} with its diffusion models and factors taken from this pool; {@code key} tells programs' folders apart. */
    RuntimeProvider lending(RuntimeProvider provider, Object key) {
        if (closed) throw new IllegalStateException("these Networks are closed");
        return new Lending(provider, key);
    }

    @SuppressWarnings("unchecked")
    private <T extends AutoCloseable> T borrow(Object key, java.util.function.Supplier<T> load) {
        T found = (T) idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (found != null) return found;
        T loaded = load.get();
        loads.incrementAndGet();
        synchronized (all) {
            all.add(loaded);
        }
        return loaded;
    }

    private void giveBack(Object key, AutoCloseable network) {
        if (!closed) idle.get(key).addFirst(network);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (AutoCloseable n : all) {
                try {
                    n.close();
                } catch (Exception e) {
                    // freeing one network must not keep the others' memory
                }
            }
            all.clear();
        }
        idle.clear();
        manager.close();
    }

    /** Forwards data and operators to the run's provider; lends networks instead of loading them. */
    private final class Lending implements RuntimeProvider {
        private final RuntimeProvider provider;
        private final Object key;

        Lending(RuntimeProvider provider, Object key) {
            this.provider = provider;
            this.key = key;
        }

        @Override
        public DiffusionModel diffusion(ModelRef model, Schedule schedule, Shape sampleShape, NDManager runManager) {
            Object k = java.util.Arrays.asList(key, model, schedule, sampleShape);
            DiffusionModel m = borrow(k, () -> provider.diffusion(model, schedule, sampleShape, manager));
            return new LentDiffusion(m, () -> giveBack(k, m));
        }

        @Override
        public LogDensityFactor factor(FactorRef factor, Shape sampleShape, NDManager runManager) {
            Object k = java.util.Arrays.asList(key, factor, sampleShape);
            LogDensityFactor f = borrow(k, () -> provider.factor(factor, sampleShape, manager));
            return new LogDensityFactor() {
                @Override
                public NDArray logDensity(NDArray x0) {
                    return f.logDensity(x0);
                }

                @Override
                public DataType dataType() {
                    return f.dataType();
                }

                @Override
                public void close() {
                    giveBack(k, f);
                }
            };
        }

        @Override
        public NDArray builtin(TensorExpr.Builtin call, List<NDArray> args, boolean[] batched, NDManager m) {
            return provider.builtin(call, args, batched, m);
        }

        @Override
        public NDArray data(TensorExpr node, NDManager m) {
            return provider.data(node, m);
        }
    }

    /** A borrowed diffusion model: everything forwarded, closing gives it back. */
    private static final class LentDiffusion extends ForwardingDiffusionModel {
        private final Runnable giveBack;

        LentDiffusion(DiffusionModel model, Runnable giveBack) {
            super(model);
            this.giveBack = giveBack;
        }

        @Override
        public void close() {
            giveBack.run();
        }
    }

    /** The key of a run's folders: relative model paths resolve against them. */
    static Object folders(Path modelDir, Path workingDir, Path dataRoot) {
        return java.util.Arrays.asList(modelDir, workingDir, dataRoot);
    }
}
