package dfl.runtime.mcmc;

import dfl.runtime.rng.ParticleStreams;

/**
 * Metropolis-adjusted Langevin: proposal y ~ q(·|x) = N(x + η∇log π(x), 2ηI), accepted per chain with
 * probability min(1, π(y) q(x|y) / (π(x) q(y|x))). The proposal density uses the variance 2η it was drawn with
 * (the R3 public code used η). Costs one batched evaluation per step, plus n − 2 for a line integral.
 */
public class MalaKernel extends McmcKernel {

    public MalaKernel(MhRatio mh) {
        super(mh);
        if (!mh.corrects()) throw new IllegalArgumentException("MALA needs a Metropolis–Hastings correction");
    }

    @Override
    public int step(LogTarget target, ChainState s, int level, double eta, ParticleStreams streams, LogTarget.Need need) {
        double[] y = langevinProposal(s, eta, streams);
        LogTarget.Eval ey = target.evaluate(y, level, endpointNeed(need));
        double[] logR = mh.straight(target, level, s.x, s.eval, y, ey);
        for (int p = 0; p < s.k; p++) {
            logR[p] += logProposal(s.x, y, ey.score(), eta, p, s.d) - logProposal(y, s.x, s.eval.score(), eta, p, s.d);
        }
        return apply(s, y, ey, decide(logR, streams));
    }

    /** log q(to | from) up to a constant for chain p: −|to − from − η s(from)|² / (4η). */
    protected double logProposal(double[] to, double[] from, double[] scoreFrom, double eta, int p, int d) {
        double ss = 0;
        for (int i = p * d; i < (p + 1) * d; i++) {
            double r = to[i] - from[i] - eta * scoreFrom[i];
            ss += r * r;
        }
        return -ss / (4 * eta);
    }
}
