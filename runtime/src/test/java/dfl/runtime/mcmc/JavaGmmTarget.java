package dfl.runtime.mcmc;

import dfl.runtime.linalg.Dense;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.smc.LogSumExp;

/**
 * A fixed (one-level) target in plain Java for kernel tests: prior part = a Gaussian mixture, exact part =
 * optionally a Gaussian factor N(x; m, s² I) (log-density known), so hybrid line integrals can be checked.
 */
final class JavaGmmTarget implements LogTarget {

    private final GaussianMixture g;
    private final double[][][] prec;
    private final double[] logNorm;
    private final double[] factorMean;
    private final double factorVar;
    final int d;

    JavaGmmTarget(GaussianMixture g) {
        this(g, null, 0);
    }

    JavaGmmTarget(GaussianMixture g, double[] factorMean, double factorVar) {
        this.g = g;
        this.d = g.dimension();
        this.factorMean = factorMean;
        this.factorVar = factorVar;
        prec = new double[g.components()][][];
        logNorm = new double[g.components()];
        for (int c = 0; c < prec.length; c++) {
            Dense.Spd f = Dense.spd(g.covariances()[c]);
            prec[c] = f.inverse();
            logNorm[c] = Math.log(g.weights()[c]) - 0.5 * f.logDet() - 0.5 * d * Math.log(2 * Math.PI);
        }
    }

    /** A Gaussian N(mean, cov) as a one-component mixture. */
    static JavaGmmTarget gaussian(double[] mean, double[][] cov) {
        return new JavaGmmTarget(new GaussianMixture(new double[] {1}, new double[][] {mean}, new double[][][] {cov}));
    }

    GaussianMixture mixture() {
        return g;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int levels() {
        return 1;
    }

    @Override
    public double beta(int level) {
        return 1;
    }

    @Override
    public double alphaBar(int level) {
        return level == 0 ? 1 : 0.5;
    }

    @Override
    public int trainStep(int level) {
        return 0;
    }

    @Override
    public boolean priorHasEnergy() {
        return true;
    }

    @Override
    public boolean hasExactPart() {
        return factorMean != null;
    }

    /** Prior log-density at one point. */
    double priorLog(double[] x, int off) {
        double[] t = new double[prec.length];
        double[] diff = new double[d];
        for (int c = 0; c < prec.length; c++) {
            for (int i = 0; i < d; i++) diff[i] = x[off + i] - g.means()[c][i];
            t[c] = logNorm[c] - 0.5 * Dense.quad(prec[c], diff);
        }
        return LogSumExp.of(t);
    }

    double exactLog(double[] x, int off) {
        if (factorMean == null) return 0;
        double s = 0;
        for (int i = 0; i < d; i++) s += (x[off + i] - factorMean[i]) * (x[off + i] - factorMean[i]);
        return -0.5 * s / factorVar;
    }

    @Override
    public Eval evaluate(double[] x, int level, Need need) {
        int k = x.length / d;
        double[] ps = new double[k * d];
        double[] pl = new double[k];
        double[] el = new double[k];
        double[] t = new double[prec.length];
        double[][] diffs = new double[prec.length][d];
        for (int p = 0; p < k; p++) {
            int off = p * d;
            for (int c = 0; c < prec.length; c++) {
                for (int i = 0; i < d; i++) diffs[c][i] = x[off + i] - g.means()[c][i];
                t[c] = logNorm[c] - 0.5 * Dense.quad(prec[c], diffs[c]);
            }
            double lse = LogSumExp.of(t);
            pl[p] = lse;
            for (int c = 0; c < prec.length; c++) {
                double r = Math.exp(t[c] - lse);
                double[] pd = Dense.mul(prec[c], diffs[c]);
                for (int i = 0; i < d; i++) ps[off + i] -= r * pd[i];
            }
            el[p] = exactLog(x, off);
        }
        if (need == Need.PRIOR_SCORE) return new Eval(null, ps, null, null);
        double[] score = ps;
        if (factorMean != null) {
            score = ps.clone();
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < d; i++) score[p * d + i] -= (x[p * d + i] - factorMean[i]) / factorVar;
            }
        }
        return new Eval(score, ps, el, need == Need.SCORE_AND_ENERGY ? pl : null);
    }
}
