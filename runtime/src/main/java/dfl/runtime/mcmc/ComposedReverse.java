package dfl.runtime.mcmc;

import dfl.runtime.rng.ParticleStreams;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dfl.runtime.run.LevelStats;

/**
 * Plain ancestral reverse diffusion on the summed score of a composition (the baseline R3 shows to fail): at
 * level i, x̂0 = (x + (1−ᾱ_i) s_π(x))/√ᾱ_i with the composed score s_π, then the DDPM posterior step
 * N(c0 x̂0 + c1 x, β̃_i), the last step returning the mean. Exact for a single prior, biased for a product,
 * because the sum of noised scores is not the score of the noised product. For {@code cond^w * uncond^(1−w)} this is
 * classifier-free guidance (the plan's {@code cfg_reverse}).
 */
public final class ComposedReverse {

    private ComposedReverse() {}

    /** Runs {@code particles} trajectories through every level of {@code target}. */
    public static AnnealedResult run(LogTarget target, int particles, RunOptions options, StepListener listener) {
        return run(target, "reverse", particles, options, listener);
    }

    /** Runs {@code particles} trajectories through every level of {@code target}, reported as sampler {@code name}. */
    public static AnnealedResult run(LogTarget target, String name, int particles, RunOptions options, StepListener listener) {
        long start = System.nanoTime();
        CountingTarget t = target instanceof CountingTarget c ? c : new CountingTarget(target);
        int d = t.dimension(), k = particles, levels = t.levels();
        ParticleStreams streams = new ParticleStreams(options.seed(), k);
        double[] x = new double[k * d];
        streams.fillNormal(x, d);
        List<StepStats> stats = new ArrayList<>();
        List<LevelStats> levelStats = new ArrayList<>();
        for (int i = levels; i >= 1; i--) {
            long s0 = System.nanoTime();
            long c0 = t.calls();
            double ab = t.alphaBar(i), abPrev = t.alphaBar(i - 1);
            double beta = 1 - ab / abPrev;
            double cx0 = Math.sqrt(abPrev) * beta / (1 - ab);
            double cxt = Math.sqrt(1 - beta) * (1 - abPrev) / (1 - ab);
            double sd = Math.sqrt(beta * (1 - abPrev) / (1 - ab));
            double[] s = t.evaluate(x, i, LogTarget.Need.SCORE).score();
            double[] next = new double[x.length];
            for (int p = 0; p < k; p++) {
                var r = streams.particle(p);
                for (int j = p * d; j < (p + 1) * d; j++) {
                    double x0 = (x[j] + (1 - ab) * s[j]) / Math.sqrt(ab);
                    next[j] = cx0 * x0 + cxt * x[j] + (i > 1 ? sd * r.nextGaussian() : 0);
                }
            }
            x = next;
            StepStats st = new StepStats(i, t.trainStep(i), k, false, k, k, 1.0 / k, 0, (System.nanoTime() - s0) * 1e-9);
            stats.add(st);
            levelStats.add(new LevelStats(i, t.trainStep(i), 1.0, 0.0, t.calls() - c0));
            listener.onStep(stats.size(), levels, st);
        }
        float[][] samples = dfl.runtime.run.FiniteOutputs.toFloat32(x, k, d, "the last annealing level");
        double[] lw = new double[k];
        Arrays.fill(lw, -Math.log(k));
        RunResult run = new RunResult(name, options.seed(), levels, t.shape(), samples, lw, Double.NaN,
                List.copyOf(stats), (System.nanoTime() - start) * 1e-9, t.calls(), t.seconds());
        return new AnnealedResult(run, levelStats);
    }
}
