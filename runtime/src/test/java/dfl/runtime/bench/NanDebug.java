package dfl.runtime.bench;

import dfl.plan.SamplerSpec;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.*;
import dfl.runtime.run.*;

/** Reproduces a run and prints the failure (debugging aid). NanDebug CASE T K SEED TWIST. */
public final class NanDebug {
    public static void main(String[] a) {
        SamplerSpec.TwistVariance tv = new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.valueOf(a[4]), 0);
        var plan = PosteriorErrorBench.plan(a[0]).withSampler(new SamplerSpec.Tds(Integer.parseInt(a[2]), Integer.parseInt(a[1]),
            SamplerSpec.Resampling.SYSTEMATIC, 0.5, tv, false), "x");
        for (int r = 0; r < (a.length > 5 ? Integer.parseInt(a[5]) : 1); r++) {
            try {
                RunResult res = Sampling.run(plan, RunOptions.seed(Long.parseLong(a[3])), RuntimeProvider.NONE, StepListener.NONE);
                System.out.println("ok logZ " + res.logEvidence() + " m0 " + res.weightedMean()[0]);
            } catch (RuntimeException e) {
                System.out.println("failed: " + e.getMessage());
            }
        }
    }
}
