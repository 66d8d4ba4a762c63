package dfl.stdlib.runtime.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.schedule.NoiseSchedule;
import dfl.stdlib.runtime.TorchScriptPrior;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cost of TorchScript priors per call (the 2-D GMM fixtures against the exact float64 model), first order (no
 * collector) and inside a collector with a backward pass through ε̂ (what TDS does; second order for the energy
 * network), and resident memory over many such steps, the exact model first as the control. Run it with a fixed
 * heap ({@code -Xms256m -Xmx256m -XX:+AlwaysPreTouch}) so that heap growth does not show as native growth.
 *
 * <pre>
 * mvn -B -o -pl stdlib test-compile
 * java -cp stdlib/target/test-classes:stdlib/target/classes:$(cat cp.txt) dfl.stdlib.runtime.bench.TorchScriptBench [K] [soakSteps]
 * </pre>
 */
public final class TorchScriptBench {

    private TorchScriptBench() {}

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int soak = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        NoiseSchedule s = NoiseSchedule.of(new Schedule("linear", 200, 1e-4, 0.05));
        Path dir = Path.of(TorchScriptBench.class.getResource("/dfl/stdlib/torchscript/gmm_eps.pt").toURI()).getParent();
        GaussianMixture g = new GaussianMixture(new double[] {0.3, 0.7}, new double[][] {{-1.5, 0.5}, {1.0, -0.5}},
                new double[][][] {{{0.5, 0.2}, {0.2, 0.3}}, {{0.2, -0.05}, {-0.05, 0.4}}});
        try (NDManager base = NDManager.newBaseManager()) {
            time("exact gmm (float64)", new GmmDiffusion(g, s, Shape.of(2)), k, base);
            for (String p : new String[] {"eps", "score", "energy"}) {
                try (TorchScriptPrior m = TorchScriptPrior.load(dir.resolve("gmm_" + p + ".pt"), p, p, Shape.of(2), s)) {
                    time("torchscript " + p, m, k, base);
                }
            }
            // memory: the same backward-through-eps step, exact model first as the control
            soak("exact gmm", new GmmDiffusion(g, s, Shape.of(2)), k, soak, base);
            for (String p : new String[] {"eps", "energy"}) {
                try (TorchScriptPrior m = TorchScriptPrior.load(dir.resolve("gmm_" + p + ".pt"), p, p, Shape.of(2), s)) {
                    soak("torchscript " + p, m, k, soak, base);
                }
            }
        }
    }

    private static void soak(String label, DiffusionModel m, int k, int steps, NDManager base) throws Exception {
        for (int i = 0; i <= steps; i++) {
            step(m, k, i % 200, base, true);
            if (i % (steps / 4) == 0) System.out.printf("%-18s backward-through-eps step %5d: RSS %d MiB%n", label, i, rssMiB());
        }
    }

    private static void time(String label, DiffusionModel m, int k, NDManager base) {
        for (boolean grad : new boolean[] {false, true}) {
            for (int i = 0; i < 20; i++) step(m, k, i, base, grad);
            int n = 100;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) step(m, k, i, base, grad);
            System.out.printf("%-22s K=%d %-28s %.2f ms/call%n", label, k, grad ? "eps + backward through it" : "eps", (System.nanoTime() - t0) * 1e-6 / n);
        }
    }

    private static void step(DiffusionModel m, int k, int t, NDManager base, boolean grad) {
        try (NDManager sub = base.newSubManager()) {
            NDArray x = sub.randomNormal(new ai.djl.ndarray.types.Shape(k, 2)).toType(m.dataType(), false);
            if (!grad) {
                m.eps(x, t).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
                return;
            }
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(m.eps(x, t).square().sum());
            }
            x.getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        }
    }

    private static long rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
        return -1;
    }
}
