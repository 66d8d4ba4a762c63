package dfl.runtime.mcmc;

import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.gmm.GaussianMixture;
import java.util.SplittableRandom;

/**
 * Mean |error| of estimates of log π(x_L) − log π(x_0) along HMC trajectories (L = 3, 4000 exact starts, seeds 3
 * and 4) on three 2-D mixtures: the old leapfrog-path trapezoids (no extra evaluation), one Simpson midpoint per
 * leapfrog step (L extra evaluations), and the straight segment x_0 → x_L with n points (n − 2 extra, in
 * parentheses). Cited in docs/composition.md.
 *
 * <pre>
 * java -cp ... dfl.runtime.mcmc.HmcLineIntegralErrors
 * </pre>
 */
public final class HmcLineIntegralErrors {

    private HmcLineIntegralErrors() {}

    static double[] seg(LogTarget t, double[] a, double[] b, String rule, int n) {
        return MhRatio.lineIntegral(rule, n).straight(t, 1, a, t.evaluate(a, 1, LogTarget.Need.SCORE), b, t.evaluate(b, 1, LogTarget.Need.SCORE));
    }

    public static void main(String[] args) {
        JavaGmmTarget[] ts = {KernelInvarianceTest.MIX, new JavaGmmTarget(new GaussianMixture(new double[] {0.5, 0.5},
            new double[][] {{-1, 0}, {1, 0}}, new double[][][] {{{0.1, 0}, {0, 0.1}}, {{0.1, 0}, {0, 0.1}}})),
            new JavaGmmTarget(new GaussianMixture(new double[] {0.5, 0.5},
            new double[][] {{-0.3, 0}, {0.3, 0}}, new double[][][] {{{0.01, 0}, {0, 0.01}}, {{0.01, 0}, {0, 0.01}}}))};
        int K = 4000, L = 3;
        for (int ti = 0; ti < ts.length; ti++) {
            JavaGmmTarget t = ts[ti];
            int d = t.dimension();
            for (double eta : new double[] {0.01, 0.05, 0.1, 0.3}) {
                double[][] draws = GmmAlgebra.sample(t.mixture(), K, new SplittableRandom(3));
                double[] x = new double[K * d];
                for (int p = 0; p < K; p++) System.arraycopy(draws[p], 0, x, p * d, d);
                double eps = Math.sqrt(2 * eta);
                dfl.runtime.rng.ParticleStreams st = new dfl.runtime.rng.ParticleStreams(4, K);
                double[] v = new double[K * d];
                st.fillNormal(v, d);
                double[][] xs = new double[L + 1][];
                xs[0] = x;
                double[] g = t.evaluate(x, 1, LogTarget.Need.SCORE).score();
                for (int l = 1; l <= L; l++) {
                    double[] y = new double[K * d];
                    for (int i = 0; i < y.length; i++) {
                        v[i] += 0.5 * eps * g[i];
                        y[i] = xs[l - 1][i] + eps * v[i];
                    }
                    xs[l] = y;
                    g = t.evaluate(y, 1, LogTarget.Need.SCORE).score();
                    for (int i = 0; i < y.length; i++) v[i] += 0.5 * eps * g[i];
                }
                double[] exact = MhRatio.energy().straight(t, 1, xs[0], t.evaluate(xs[0], 1, LogTarget.Need.SCORE_AND_ENERGY),
                        xs[L], t.evaluate(xs[L], 1, LogTarget.Need.SCORE_AND_ENERGY));
                double[] oldPath = new double[K], midPath = new double[K];
                for (int l = 0; l < L; l++) {
                    double[] a = seg(t, xs[l], xs[l + 1], "trapezoid", 2), b = seg(t, xs[l], xs[l + 1], "simpson", 3);
                    for (int p = 0; p < K; p++) { oldPath[p] += a[p]; midPath[p] += b[p]; }
                }
                StringBuilder sb = new StringBuilder(String.format("t%d eta %.2f |dlogpi| %.3g old(0) %.3g pathSimpson3(L=%d) %.3g", ti, eta,
                        mae(exact, new double[K]), mae(exact, oldPath), L, mae(exact, midPath)));
                for (String r : new String[] {"trapezoid:3", "trapezoid:5", "simpson:3", "simpson:5", "simpson:7", "simpson:9"}) {
                    String[] q = r.split(":");
                    int n = Integer.parseInt(q[1]);
                    sb.append(String.format(" %s(%d) %.3g", r, n - 2, mae(exact, seg(t, xs[0], xs[L], q[0], n))));
                }
                System.out.println(sb);
            }
        }
    }

    static double mae(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s / a.length;
    }
}
