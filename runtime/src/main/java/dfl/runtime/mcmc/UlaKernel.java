package dfl.runtime.mcmc;

import dfl.runtime.rng.ParticleStreams;

/** Unadjusted Langevin: x ← x + η∇log π(x) + √(2η) ξ, always accepted (biased for finite η). */
public final class UlaKernel extends McmcKernel {

    public UlaKernel() {
        super(MhRatio.none());
    }

    @Override
    public int step(LogTarget target, ChainState s, int level, double eta, ParticleStreams streams, LogTarget.Need need) {
        s.x = langevinProposal(s, eta, streams);
        s.eval = target.evaluate(s.x, level, endpointNeed(need));
        return s.k;
    }
}
