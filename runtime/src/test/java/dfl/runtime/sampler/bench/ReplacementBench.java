package dfl.runtime.sampler.bench;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.ReplacementCase;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.sampler.Sampling;
import dfl.runtime.run.StepListener;
import dfl.runtime.run.StepStats;

/**
 * The replacement variant (SMCDiff) on the 8-D masked-observation case of the convergence test, against the exact
 * conditional: per (T, K) the average over seeds of each statistic minus its exact value, its standard error, the
 * evidence error (log of the mean of Ẑ/Z over seeds), the mean number of resampling steps and the mean final ESS.
 * {@code naive} rows ignore the weights and never resample (the plain replacement method).
 *
 * <p>Usage: {@code ReplacementBench SEEDS STEPS K...}.
 */
public final class ReplacementBench {

    private ReplacementBench() {}

    public static void main(String[] args) {
        int seeds = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        SamplerPlan plan = ReplacementCase.plan(ReplacementCase.replacement(16, steps, 0.5));
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        GaussianMixture post = exact.posterior();
        double[] truth = ReplacementCase.truth(post);
        System.out.println("T = " + steps + ", " + seeds + " seeds; truth " + java.util.Arrays.toString(truth) + ", log p(y) "
                + exact.logEvidence());
        System.out.println("| method | K | z² (3-SE rule ≤ 9) | bias of mode-0 weight ± SE | max |bias| of E[x_U] | log mean Ẑ/Z | resamplings | final ESS | s/run |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int a = 2; a < args.length; a++) {
            int k = Integer.parseInt(args[a]);
            for (boolean naive : new boolean[] {false, true}) {
                double[][] s = new double[seeds][];
                double[] ratio = new double[seeds];
                double resamplings = 0, ess = 0;
                long t0 = System.nanoTime();
                for (int r = 0; r < seeds; r++) {
                    SamplerSpec spec = ReplacementCase.replacement(k, steps, naive ? 0.0 : 0.5);
                    RunResult res = Sampling.run(plan.withSampler(spec, "bench"), RunOptions.seed(1000 + r), RuntimeProvider.NONE,
                            StepListener.NONE);
                    s[r] = ReplacementCase.statistics(res, naive, post);
                    ratio[r] = Math.exp(res.logEvidence() - exact.logEvidence());
                    for (StepStats st : res.stats()) resamplings += st.resampled() ? 1 : 0;
                    ess += res.stats().get(res.stats().size() - 1).ess();
                }
                double secs = (System.nanoTime() - t0) * 1e-9 / seeds;
                double[] col = new double[seeds];
                int w0 = truth.length - post.components();
                for (int r = 0; r < seeds; r++) col[r] = s[r][w0];
                double maxMeanBias = 0;
                for (int j = 0; j < w0; j++) {
                    double[] c = new double[seeds];
                    for (int r = 0; r < seeds; r++) c[r] = s[r][j];
                    maxMeanBias = Math.max(maxMeanBias, Math.abs(avg(c) - truth[j]));
                }
                System.out.printf("| %s | %d | %.1f | %+.3f ± %.3f | %.3f | %s | %.1f | %.1f | %.2f |%n", naive ? "naive" : "replacement", k,
                        ReplacementCase.z2(s, truth), avg(col) - truth[w0], Math.sqrt(var(col) / seeds), maxMeanBias,
                        naive ? "–" : String.format("%+.3f", Math.log(avg(ratio))), resamplings / seeds, ess / seeds, secs);
            }
        }
    }
}
