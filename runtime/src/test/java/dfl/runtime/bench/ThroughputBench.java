package dfl.runtime.bench;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.sampler.Sampling;
import dfl.runtime.run.StepListener;
import java.util.List;
import java.util.Locale;

/**
 * Throughput of the samplers on a 2-D 8-component mixture prior (means on a ring of radius 2, std 0.3) with one
 * linear observation: particle-steps per second, and the share of time inside the prior (GMM score forward plus
 * the vector-Jacobian product) vs the sampler's own bookkeeping (noise, weights, resampling, array copies).
 * Usage: {@code ThroughputBench [K] [T] [repeats]}; defaults K = 4096, T = 1000, 2 repeats (the first warms up).
 */
public final class ThroughputBench {

    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        int t = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        double[] w = new double[8];
        double[][] mu = new double[8][2];
        double[][][] cov = new double[8][][];
        for (int i = 0; i < 8; i++) {
            w[i] = 1;
            mu[i][0] = 2 * Math.cos(2 * Math.PI * i / 8);
            mu[i][1] = 2 * Math.sin(2 * Math.PI * i / 8);
            cov[i] = TestPlans.iso(2, 0.09);
        }
        GaussianMixture ring = new GaussianMixture(w, mu, cov);
        SamplerPlan base = TestPlans.plan(ring, List.of(TestPlans.linear(new double[][] {{1.0, 0.5}}, new double[] {1.2}, 0.3)),
                TestPlans.tds(k, t));
        SamplerSpec[] specs = {TestPlans.tds(k, t), new SamplerSpec.Reverse(k, t), new SamplerSpec.Dps(k, t, 0.1)};
        System.out.printf(Locale.ROOT, "2-D 8-component mixture, K = %d, T = %d, threads = %s%n", k, t,
                System.getProperty("ai.djl.pytorch.num_threads", "default"));
        for (SamplerSpec s : specs) {
            for (int r = 0; r < reps; r++) {
                RunResult res = Sampling.run(base.withSampler(s, "bench"), RunOptions.seed(r), RuntimeProvider.NONE, StepListener.NONE);
                double ps = (double) k * t / res.seconds();
                System.out.printf(Locale.ROOT,
                        "%-8s run %d: %.2f s, %.3g particle-steps/s, %.2f ms/step, prior (forward+VJP) %.0f%%, bookkeeping %.0f%%%n",
                        s.name(), r, res.seconds(), ps, 1e3 * res.seconds() / t, 100 * res.networkSeconds() / res.seconds(),
                        100 * (1 - res.networkSeconds() / res.seconds()));
            }
        }
    }
}
