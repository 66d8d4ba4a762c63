package dfl.runtime.bench;

import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.*;
import dfl.runtime.run.*;

/** Per-run squared error, final ESS and min ESS of TDS on a bench case: PerRun CASE T K SEED0 N TWIST. */
public final class PerRun {
    public static void main(String[] a) {
        SamplerPlan plan = PosteriorErrorBench.plan(a[0]);
        int t = Integer.parseInt(a[1]), k = Integer.parseInt(a[2]);
        long s0 = Long.parseLong(a[3]);
        double[] truth = PlanReference.of(plan, RuntimeProvider.NONE).posterior().mean();
        SamplerSpec.TwistVariance tv = a[5].equals("REFERENCE") ? SamplerSpec.TwistVariance.REFERENCE
                : new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.valueOf(a[5]), 0);
        for (long s = s0; s < s0 + Integer.parseInt(a[4]); s++) {
            RunResult r = Sampling.run(plan.withSampler(new SamplerSpec.Tds(k, t, SamplerSpec.Resampling.SYSTEMATIC, 0.5, tv, false), "x"),
                RunOptions.seed(s), RuntimeProvider.NONE, StepListener.NONE);
            double[] m = r.weightedMean(); double e = 0;
            for (int j = 0; j < m.length; j++) e += (m[j] - truth[j]) * (m[j] - truth[j]);
            System.out.printf("seed %d: se %.2e  minESS %.1f finalESS %.1f logZ %.3f  %.1fs%n", s, e / m.length,
                r.stats().stream().mapToDouble(StepStats::ess).min().getAsDouble(), r.stats().get(r.stats().size() - 1).ess(), r.logEvidence(), r.seconds());
        }
    }
}
