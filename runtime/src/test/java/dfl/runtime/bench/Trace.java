package dfl.runtime.bench;

import dfl.plan.*;
import dfl.runtime.TestPlans;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.*;
import dfl.runtime.run.*;

/** Prints per-step stats of one TDS run on posterior2d. */
public final class Trace {
    public static void main(String[] a) {
        int k = Integer.parseInt(a[0]), t = Integer.parseInt(a[1]);
        SamplerSpec.TwistVariance tv = new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.valueOf(a[2]), Double.parseDouble(a[3]));
        SamplerSpec s = new SamplerSpec.Tds(k, t, SamplerSpec.Resampling.SYSTEMATIC, Double.parseDouble(a[4]), tv, false);
        RunResult r = Sampling.run(TestPlans.posterior2d(s), RunOptions.seed(1), RuntimeProvider.NONE, StepListener.NONE);
        for (StepStats st : r.stats()) if (st.step() % Math.max(1, t / 20) == 0 || st.step() < 4)
            System.out.printf("i=%d ts=%d essB=%.1f res=%b uniq=%d ess=%.1f maxw=%.3f incr=%.4f%n", st.step(), st.trainStep(), st.essBefore(), st.resampled(), st.uniqueAncestors(), st.ess(), st.maxWeight(), st.logEvidenceIncrement());
        System.out.println("logZ " + r.logEvidence() + " mean " + java.util.Arrays.toString(r.weightedMean()));
    }
}
