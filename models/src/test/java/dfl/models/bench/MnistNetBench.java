package dfl.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dfl.models.mnist.MnistClassifier;
import dfl.models.mnist.MnistDiffusion;
import dfl.models.mnist.MnistModels;
import java.util.Arrays;

/**
 * Milliseconds per call of the shipped MNIST networks, the cost that bounds every MNIST sampler: the U-Net's
 * ε̂ forward alone (reverse diffusion), forward + input gradient (TDS, DPS, annealed MCMC), and the same with
 * the classifier on x̂0 (class-conditional TDS). Run with
 * {@code java -Dai.djl.pytorch.num_threads=N -cp ... dfl.stdlib.bench.MnistNetBench [batch...]}.
 */
public final class MnistNetBench {

    private MnistNetBench() {}

    public static void main(String[] args) throws Exception {
        int[] batches = args.length == 0 ? new int[] {1, 16, 64} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int reps = Integer.getInteger("reps", 20);
        try (NDManager weights = NDManager.newBaseManager()) {
            MnistDiffusion net = MnistModels.loadDiffusion(weights);
            MnistClassifier clf = MnistModels.loadClassifier(weights, false);
            System.out.printf("threads %s, %d repetitions after 3 warm-ups%n",
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), reps);
            System.out.println("batch  eps_ms  eps+grad_ms  eps+clf+grad_ms  per_sample_grad_ms");
            for (int b : batches) {
                double f = time(reps, () -> run(weights, net, null, b, false));
                double g = time(reps, () -> run(weights, net, null, b, true));
                double c = time(reps, () -> run(weights, net, clf, b, true));
                System.out.printf("%5d  %6.1f  %11.1f  %15.1f  %18.2f%n", b, f, g, c, c / b);
            }
        }
    }

    private static void run(NDManager base, MnistDiffusion net, MnistClassifier clf, int b, boolean grad) {
        try (NDManager m = base.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(b, 1, 28, 28));
            float[] t = new float[b];
            Arrays.fill(t, 500);
            if (!grad) {
                net.epsilon(x, t).toFloatArray();
                return;
            }
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray eps = net.epsilon(x, t);
                NDArray obj = eps.square().sum();
                if (clf != null) obj = obj.add(clf.logits(x.sub(eps)).logSoftmax(1).get(":, 3").sum());
                gc.backward(obj);
            }
            x.getGradient().toFloatArray();
        }
    }

    private static double time(int reps, Runnable r) {
        for (int i = 0; i < 3; i++) r.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) r.run();
        return (System.nanoTime() - t0) / 1e6 / reps;
    }
}
