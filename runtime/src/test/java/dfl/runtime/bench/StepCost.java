package dfl.runtime.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.schedule.NoiseSchedule;

/** Micro-timing of the GMM evaluation alone (no autograd), to see the per-step floor. */
public final class StepCost {
    public static void main(String[] a) {
        int k = Integer.parseInt(a[0]);
        GmmDiffusion g = new GmmDiffusion(TestPlans.posterior2dPrior(), NoiseSchedule.of(Schedule.DEFAULT), Shape.of(2));
        double[] x = new double[k * 2];
        try (NDManager base = NDManager.newBaseManager()) {
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < 1000; i++) {
                    try (NDManager m = base.newSubManager()) {
                        NDArray xt = m.create(x, new ai.djl.ndarray.types.Shape(k, 2));
                        g.eps(xt, i % 1000).toDoubleArray();
                    }
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < 1000; i++) {
                    try (NDManager m = base.newSubManager()) {
                        NDArray xt = m.create(x, new ai.djl.ndarray.types.Shape(k, 2));
                        xt.add(1).toDoubleArray();
                    }
                }
                long t2 = System.nanoTime();
                double[] c = new double[32];
                try (NDManager m = base.newSubManager()) {
                    NDArray xt = m.create(x, new ai.djl.ndarray.types.Shape(k, 2));
                    for (int i = 0; i < 1000; i++) m.create(c);
                    long t3 = System.nanoTime();
                    for (int i = 0; i < 1000; i++) xt.mul(2.0);
                    long t4 = System.nanoTime();
                    for (int i = 0; i < 1000; i++) xt.sum(new int[] {1});
                    long t5 = System.nanoTime();
                    System.out.printf("eps: %.3f ms/call; trivial op: %.3f ms/call; create %.1f us; mul %.1f us; sum %.1f us%n", (t1 - t0) / 1e6 / 1000, (t2 - t1) / 1e6/1000,
                        (t3 - t2) / 1e3 / 1000, (t4 - t3) / 1e3 / 1000, (t5 - t4) / 1e3 / 1000);
                }
            }
        }
    }
}
