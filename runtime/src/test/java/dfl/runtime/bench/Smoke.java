package dfl.runtime.bench;

import dfl.runtime.TestPlans;
import dfl.runtime.exact.PlanReference;
import dfl.runtime.exact.LinearGaussianPosterior;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.*;
import dfl.runtime.run.*;
import dfl.plan.*;
import java.util.Arrays;

/** Quick look at posterior2d: exact vs TDS / reverse / DPS. */
public final class Smoke {
    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int t = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        SamplerPlan plan = TestPlans.posterior2d(TestPlans.tds(k, t));
        if (args.length > 3) plan = TestPlans.plan(new dfl.runtime.gmm.GaussianMixture(new double[]{1}, new double[][]{{1, -0.5}},
            new double[][][]{TestPlans.iso(2, 0.12)}), java.util.List.of(TestPlans.linear(new double[][]{{1.0, 0.0}}, TestPlans.POSTERIOR2D_Y, 0.3)), TestPlans.tds(k, t));
        if (args.length == 3) {
            SamplerPlan pp = TestPlans.plan(TestPlans.posterior2dPrior(), java.util.List.of(), new SamplerSpec.Reverse(k, t));
            RunResult r = Sampling.run(pp, RunOptions.seed(3), RuntimeProvider.NONE, StepListener.NONE);
            System.out.println("prior mean " + Arrays.toString(r.weightedMean()) + " cov " + Arrays.deepToString(r.weightedCovariance())
                + " exact " + Arrays.toString(TestPlans.posterior2dPrior().mean()) + Arrays.deepToString(TestPlans.posterior2dPrior().covariance()));
            double[] w = new double[r.particles()]; double sx=0, sy=0;
            for (int i = 0; i < w.length; i++) { float[] x = r.samples()[i]; double res = 1.2 - x[0] - 0.5*x[1];
                w[i] = -0.5*res*res/0.09 - 0.5*Math.log(2*Math.PI*0.09); }
            double lz = dfl.runtime.smc.LogSumExp.of(w) - Math.log(w.length);
            double[] nw = dfl.runtime.smc.LogSumExp.normalise(w);
            for (int i = 0; i < w.length; i++) { sx += nw[i]*r.samples()[i][0]; sy += nw[i]*r.samples()[i][1]; }
            System.out.println("model-IS logZ " + lz + " mean " + sx + ", " + sy + " ess " + dfl.runtime.smc.Ess.of(nw));
            return;
        }
        LinearGaussianPosterior ex = PlanReference.of(plan, RuntimeProvider.NONE);
        System.out.println("exact mean " + Arrays.toString(ex.posterior().mean()) + " logZ " + ex.logEvidence()
                + " w " + Arrays.toString(ex.posterior().weights()));
        SamplerSpec.TwistVariance[] tvs = {new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.FIXED, 1e6),
            new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.TWEEDIE, 0), SamplerSpec.TwistVariance.REFERENCE,
            new SamplerSpec.TwistVariance(SamplerSpec.TwistVariance.Kind.NONE, 0)};
        for (SamplerSpec.TwistVariance tv : tvs) for (double ess : new double[] {0.0, 0.5, 1.0}) {
            SamplerSpec s = new SamplerSpec.Tds(k, t, SamplerSpec.Resampling.SYSTEMATIC, ess, tv, false);
            double lz = 0, mx = 0, my = 0; int n = 4;
            for (long seed = 1; seed <= n; seed++) {
                RunResult r = Sampling.run(plan.withSampler(s, "x"), RunOptions.seed(seed), RuntimeProvider.NONE, StepListener.NONE);
                if (seed == 1) System.out.println("  min ess " + r.stats().stream().mapToDouble(StepStats::ess).min().getAsDouble()
                    + " final ess " + r.stats().get(r.stats().size()-1).ess());
                lz += r.logEvidence()/n; mx += r.weightedMean()[0]/n; my += r.weightedMean()[1]/n;
            }
            System.out.printf("%s ess %.1f: logZ %.4f mean %.4f %.4f%n", tv.kind(), ess, lz, mx, my);
        }
        if (true) return;
        for (SamplerSpec s : new SamplerSpec[] {TestPlans.tds(k, t), new SamplerSpec.Reverse(k, t), new SamplerSpec.Dps(k, t, 0.5)}) {
            for (long seed = 1; seed <= 2; seed++) {
                RunResult r = Sampling.run(plan.withSampler(s, "x"), RunOptions.seed(seed), RuntimeProvider.NONE, StepListener.NONE);
                System.out.printf("%s seed %d mean %s logZ %.4f sec %.2f net %.2f calls %d final ess %.1f%n", s.name(), seed,
                        Arrays.toString(r.weightedMean()), r.logEvidence(), r.seconds(), r.networkSeconds(), r.networkCalls(),
                        r.stats().get(r.stats().size() - 1).ess());
            }
        }
    }
}
