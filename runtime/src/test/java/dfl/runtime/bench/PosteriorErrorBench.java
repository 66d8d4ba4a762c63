package dfl.runtime.bench;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.sampler.Sampling;
import dfl.runtime.run.StepListener;
import java.util.List;
import java.util.Locale;

/**
 * Posterior-mean error vs K for TDS, TDS-IS, guidance (reverse with the summed twisted likelihood score) and DPS
 * against the exact posterior. Prints a markdown table: mean squared error of the weighted posterior mean
 * (averaged over coordinates and seeds), ± its standard error, and the mean log-evidence error for SMC.
 *
 * <p>TDS rows use the language's default tail spacing. Usage: {@code PosteriorErrorBench CASE STEPS SEEDS TWIST K...} with CASE {@code 2d} (DESIGN posterior2d) or
 * {@code 16d} (4-component full-covariance mixture, 4 observations), TWIST a TwistVariance kind.
 */
public final class PosteriorErrorBench {

    public static void main(String[] args) {
        String which = args[0];
        int steps = Integer.parseInt(args[1]);
        int seeds = Integer.parseInt(args[2]);
        SamplerSpec.TwistVariance tv = args[3].equals("REFERENCE") ? SamplerSpec.TwistVariance.REFERENCE
                : args[3].startsWith("FIXED") ? new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.FIXED,
                        Double.parseDouble(args[3].substring(6)))
                : new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.valueOf(args[3]), 0);
        boolean onlyTds = System.getProperty("onlyTds") != null;
        double dpsScale = Double.parseDouble(System.getProperty("dpsScale", "0.1"));
        SamplerPlan plan = plan(which);
        LinearGaussianPosterior exact = PlanReference.of(plan, RuntimeProvider.NONE);
        double[] truth = exact.posterior().mean();
        System.out.printf(Locale.ROOT, "case %s, T = %d, %d seeds per cell, twist %s, exact log p(y) = %.4f%n%n", which, steps,
                seeds, args[3], exact.logEvidence());
        System.out.println("| sampler | K | MSE of posterior mean | ± s.e. | mean (log Ẑ − log p(y)) | sd of log Ẑ | s/run |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int a = 4; a < args.length; a++) {
            int k = Integer.parseInt(args[a]);
            SamplerSpec[] samplers = {
                new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.5, tv, false, SamplerSpec.Spacing.TAIL),
                new SamplerSpec.Tds(k, steps, SamplerSpec.Resampling.SYSTEMATIC, 0.0, tv, false, SamplerSpec.Spacing.TAIL),
                new SamplerSpec.Reverse(k, steps),
                new SamplerSpec.Dps(k, steps, dpsScale)};
            String[] names = {"TDS", "TDS-IS", "guidance", "DPS (ζ=" + dpsScale + ")"};
            for (int s = 0; s < (onlyTds ? 2 : samplers.length); s++) {
                double[] se = new double[seeds];
                double[] lz = new double[seeds];
                double secs = 0;
                for (int r = 0; r < seeds; r++) {
                    RunResult res = Sampling.run(plan.withSampler(samplers[s], "bench"), RunOptions.seed(1000 + r),
                            RuntimeProvider.NONE, StepListener.NONE);
                    double[] m = res.weightedMean();
                    double e = 0;
                    for (int j = 0; j < m.length; j++) e += (m[j] - truth[j]) * (m[j] - truth[j]);
                    se[r] = e / m.length;
                    lz[r] = res.logEvidence() - exact.logEvidence();
                    secs += res.seconds();
                }
                double mean = avg(se), sd = Math.sqrt(var(se) / seeds);
                String lzs = Double.isNaN(lz[0]) ? "–" : String.format(Locale.ROOT, "%+.3f", avg(lz));
                String lzsd = Double.isNaN(lz[0]) ? "–" : String.format(Locale.ROOT, "%.3f", Math.sqrt(var(lz)));
                if (System.getProperty("logMeanZ") != null && !Double.isNaN(lz[0])) {
                    System.out.printf(Locale.ROOT, "  log mean Ẑ − log p(y) = %+.3f%n", dfl.runtime.smc.LogSumExp.of(lz) - Math.log(seeds));
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %.2e | %.1e | %s | %s | %.2f |%n", names[s], k, mean, sd, lzs, lzsd,
                        secs / seeds);
            }
        }
    }

    /** The benchmark cases. */
    public static SamplerPlan plan(String which) {
        if (which.equals("2d")) return TestPlans.posterior2d(TestPlans.tds(16, 100));
        GaussianMixture g = TestPlans.randomMixture(16, 4, 7, 0.4, 0.3);
        double[][] a = TestPlans.randomMatrix(4, 16, 8);
        double[] x = g.means()[1];
        double[] y = new double[4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 16; j++) y[i] += a[i][j] * x[j];
            y[i] += 0.1;
        }
        return TestPlans.plan(g, List.of(TestPlans.linear(a, y, 0.3)), TestPlans.tds(16, 100));
    }
}
