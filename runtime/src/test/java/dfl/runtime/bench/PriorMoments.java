package dfl.runtime.bench;

import dfl.plan.SamplerSpec;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.sampler.*;
import dfl.runtime.run.*;
import java.util.List;

/** Ancestral sampling of a mixture prior: sample moments vs exact, to measure the sampler's discretisation error. */
public final class PriorMoments {
    public static void main(String[] a) {
        int d = Integer.parseInt(a[0]), k = Integer.parseInt(a[1]), t = Integer.parseInt(a[2]);
        GaussianMixture g = d == 2 ? TestPlans.posterior2dPrior() : TestPlans.randomMixture(d, 4, 7);
        RunResult r = Sampling.run(TestPlans.plan(g, List.of(), new SamplerSpec.Reverse(k, t)), RunOptions.seed(a.length > 3 ? Long.parseLong(a[3]) : 5), RuntimeProvider.NONE, StepListener.NONE);
        double[] m = r.weightedMean(), em = g.mean();
        double[][] c = r.weightedCovariance(), ec = g.covariance();
        double dm = 0, dc = 0, tr = 0, etr = 0;
        for (int i = 0; i < d; i++) { dm = Math.max(dm, Math.abs(m[i] - em[i])); tr += c[i][i]; etr += ec[i][i];
            for (int j = 0; j < d; j++) dc = Math.max(dc, Math.abs(c[i][j] - ec[i][j])); }
        int nc = g.components(); double[] counts = new double[nc];
        for (float[] smp : r.samples()) {
            double best = Double.NEGATIVE_INFINITY; int arg = 0;
            for (int c2 = 0; c2 < nc; c2++) {
                GaussianMixture one = new GaussianMixture(new double[]{1}, new double[][]{g.means()[c2]}, new double[][][]{g.covariances()[c2]});
                double[] xd = new double[d]; for (int i = 0; i < d; i++) xd[i] = smp[i];
                double lp = Math.log(g.weights()[c2]) + one.logDensity(xd);
                if (lp > best) { best = lp; arg = c2; }
            }
            counts[arg] += 1.0 / r.samples().length;
        }
        System.out.println("weights " + java.util.Arrays.toString(g.weights()) + " sampled " + java.util.Arrays.toString(counts));
        System.out.printf("d=%d K=%d T=%d: max|mean err| %.4f, max|cov err| %.4f, trace %.4f vs exact %.4f%n", d, k, t, dm, dc, tr, etr);
    }
}
