package dfl.runtime.mcmc;

import dfl.runtime.rng.ParticleStreams;

/**
 * HMC and underdamped Langevin (U-HMC). Each step refreshes the momentum partially, v ← γv + √(1−γ²)·√m·ξ
 * (γ = damping; γ = 0 is a full refresh), then takes L leapfrog steps of size ε = √(2ηm) on
 * H(x, v) = −log π(x) + ½|v|²/m, so that one leapfrog step with a full refresh is exactly MALA with step η.
 * With a correction, chain p accepts with probability min(1, exp(−ΔH)), the kinetic term taken from the
 * momentum before and after the trajectory (the R3 code overwrote it in place, so it cancelled); a rejected
 * chain keeps x and flips its momentum (generalised HMC, needed for detailed balance when γ &gt; 0).
 *
 * <p>With line-integral MH, Δlog π = log π(x_L) − log π(x_0) is the score integrated along the straight segment
 * from the start x_0 to the end x_L of the trajectory with the plan's quadrature (n points, the end points'
 * scores reused), and the kinetic change enters exactly. The score is a gradient field, so any path gives the
 * same integral and only the quadrature error remains; the segment costs n − 2 batched evaluations whatever L is.
 * The "free" sum of trapezoids between successive leapfrog positions is not a correction: with those nodes it
 * equals ΔK + (ε²/8m)(|s(x_0)|² − |s(x_L)|²) exactly, so the acceptance compares score norms at the two ends and
 * cannot see the energy error. Costs L batched evaluations per step, plus n − 2 with a line integral.
 */
public class HamiltonianKernel extends McmcKernel {

    private final int leapfrog;
    private final double mass;
    private final double damping;

    public HamiltonianKernel(int leapfrog, double mass, double damping, MhRatio mh) {
        super(mh);
        if (leapfrog < 1) throw new IllegalArgumentException("leapfrog steps must be positive, got " + leapfrog);
        if (!(mass > 0)) throw new IllegalArgumentException("mass must be positive, got " + mass);
        if (!(damping >= 0 && damping < 1)) throw new IllegalArgumentException("damping must lie in [0, 1), got " + damping);
        this.leapfrog = leapfrog;
        this.mass = mass;
        this.damping = damping;
    }

    /** The leapfrog step ε = √(2ηm) for Langevin step η. */
    public double leapfrogStep(double eta) {
        return Math.sqrt(2 * eta * mass);
    }

    @Override
    public int step(LogTarget target, ChainState s, int level, double eta, ParticleStreams streams, LogTarget.Need need) {
        int n = s.x.length, d = s.d;
        double keep = damping, fresh = Math.sqrt((1 - damping * damping) * mass);
        for (int p = 0; p < s.k; p++) {
            var r = streams.particle(p);
            for (int i = p * d; i < (p + 1) * d; i++) s.v[i] = keep * s.v[i] + fresh * r.nextGaussian();
        }
        double eps = leapfrogStep(eta);
        double[][] xs = new double[leapfrog + 1][];
        LogTarget.Eval[] evals = new LogTarget.Eval[leapfrog + 1];
        xs[0] = s.x;
        evals[0] = s.eval;
        double[] v0 = s.v.clone();
        double[] v = s.v.clone();
        for (int l = 1; l <= leapfrog; l++) {
            double[] g = evals[l - 1].score();
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] += 0.5 * eps * g[i];
                x[i] = xs[l - 1][i] + eps * v[i] / mass;
            }
            xs[l] = x;
            evals[l] = target.evaluate(x, level, l == leapfrog ? endpointNeed(need) : LogTarget.Need.SCORE);
            double[] g1 = evals[l].score();
            for (int i = 0; i < n; i++) v[i] += 0.5 * eps * g1[i];
        }
        if (!mh.corrects()) {
            s.x = xs[leapfrog];
            s.eval = evals[leapfrog];
            s.v = v;
            return s.k;
        }
        double[] logR = logTargetRatio(target, level, xs, evals);
        double[] dK = kineticDifference(v0, v, d);
        for (int p = 0; p < s.k; p++) logR[p] -= dK[p];
        boolean[] acc = decide(logR, streams);
        double[] flipped = new double[n];
        for (int i = 0; i < n; i++) flipped[i] = -v0[i];
        s.v = Evals.select(flipped, v, acc, d);
        return apply(s, xs[leapfrog], evals[leapfrog], acc);
    }

    /**
     * log π(x_L) − log π(x_0) per chain for the trajectory through {@code xs} (with their evaluations): from the
     * energies, or the line integral of the score along the straight segment x_0 → x_L (n − 2 extra batched
     * evaluations). Package-private so that the tests can substitute known-wrong rules as negative controls.
     */
    double[] logTargetRatio(LogTarget target, int level, double[][] xs, LogTarget.Eval[] evals) {
        int last = xs.length - 1;
        return mh.straight(target, level, xs[0], evals[0], xs[last], evals[last]);
    }

    /** K(v_after) − K(v_before) per chain with K(v) = ½|v|²/m; both momenta are kept, not updated in place. */
    protected double[] kineticDifference(double[] before, double[] after, int d) {
        double[] out = new double[before.length / d];
        for (int p = 0; p < out.length; p++) {
            double a = 0, b = 0;
            for (int i = p * d; i < (p + 1) * d; i++) {
                a += after[i] * after[i];
                b += before[i] * before[i];
            }
            out[p] = 0.5 * (a - b) / mass;
        }
        return out;
    }
}
