package dfl.runtime.mcmc;

/**
 * The negative control for HMC with line-integral MH: the rule DFL used before, the sum of trapezoids between
 * successive leapfrog positions (Sjöberg et al.'s "no extra cost" path integral). With those nodes the sum equals
 * ΔK + (ε²/8m)(|s(x_0)|² − |s(x_L)|²), so the acceptance compares score norms and cannot see the energy error.
 * Kept only in the tests (and the composition benchmark), so that the invariance tests can show they reject it.
 */
public class LeapfrogPathKernel extends HamiltonianKernel {

    /** HMC with L leapfrog steps, mass m and damping γ, corrected by the leapfrog-path rule. */
    public LeapfrogPathKernel(int leapfrog, double mass, double damping) {
        super(leapfrog, mass, damping, MhRatio.lineIntegral("trapezoid", 2));
    }

    @Override
    double[] logTargetRatio(LogTarget target, int level, double[][] xs, LogTarget.Eval[] evals) {
        int d = target.dimension(), k = xs[0].length / d, last = xs.length - 1;
        double[] out = new double[k];
        for (int l = 0; l < last; l++) {
            double[] a = evals[l].priorScore(), b = evals[l + 1].priorScore();
            for (int p = 0; p < k; p++) {
                for (int i = p * d; i < (p + 1) * d; i++) out[p] += 0.5 * (a[i] + b[i]) * (xs[l + 1][i] - xs[l][i]);
            }
        }
        for (int p = 0; p < k; p++) out[p] += evals[last].exactLog()[p] - evals[0].exactLog()[p];
        return out;
    }
}
