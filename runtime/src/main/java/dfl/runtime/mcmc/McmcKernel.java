package dfl.runtime.mcmc;

import dfl.plan.SamplerSpec;
import dfl.runtime.rng.ParticleStreams;

/**
 * One MCMC transition of K chains at a fixed level of the annealed target. Every chain draws its noise and
 * its accept/reject uniform from its own stream, and accepts or rejects on its own (never the whole batch).
 */
public abstract class McmcKernel {

    /** The Metropolis–Hastings correction (possibly none). */
    protected final MhRatio mh;

    protected McmcKernel(MhRatio mh) {
        this.mh = mh;
    }

    /** The kernel a plan names, with its correction. */
    public static McmcKernel of(SamplerSpec.Kernel spec, MhRatio mh) {
        if (spec instanceof SamplerSpec.Kernel.Ula) return new UlaKernel();
        // MALA without a correction is ULA (the compiler rejects that combination; a hand-made plan gets what it says)
        if (spec instanceof SamplerSpec.Kernel.Mala) return mh.corrects() ? new MalaKernel(mh) : new UlaKernel();
        if (spec instanceof SamplerSpec.Kernel.Uhmc u) return new HamiltonianKernel(u.leapfrog(), u.mass(), u.damping(), MhRatio.none());
        if (spec instanceof SamplerSpec.Kernel.Hmc h) return new HamiltonianKernel(h.leapfrog(), h.mass(), h.damping(), mh);
        throw new IllegalArgumentException("unknown kernel " + spec);
    }

    /** The correction this kernel applies. */
    public MhRatio mh() {
        return mh;
    }

    /**
     * Advances every chain by one transition at {@code level} with step size η = {@code eta}; {@code need} is what
     * the evaluation at an accepted point must hold (energies when the sampler reweights with them). Returns how
     * many chains accepted their proposal (K for unadjusted kernels).
     */
    public abstract int step(LogTarget target, ChainState s, int level, double eta, ParticleStreams streams,
            LogTarget.Need need);

    /** Per-sample decisions: chain p accepts iff log u_p &lt; logR_p, u_p uniform from chain p's own stream. */
    protected boolean[] decide(double[] logR, ParticleStreams streams) {
        boolean[] acc = new boolean[logR.length];
        for (int p = 0; p < logR.length; p++) {
            double u = streams.particle(p).nextDouble();
            // NaN (e.g. an overflowing proposal) must reject, so compare in this direction
            acc[p] = Math.log(u) < logR[p];
        }
        return acc;
    }

    /** The stronger of the endpoint needs of the correction and of the caller. */
    protected LogTarget.Need endpointNeed(LogTarget.Need need) {
        return need == LogTarget.Need.SCORE_AND_ENERGY || mh.endpointNeed() == LogTarget.Need.SCORE_AND_ENERGY
                ? LogTarget.Need.SCORE_AND_ENERGY : LogTarget.Need.SCORE;
    }

    /** y = x + η s(x) + √(2η) ξ with ξ from each chain's stream: the Langevin proposal. */
    protected static double[] langevinProposal(ChainState s, double eta, ParticleStreams streams) {
        double[] y = new double[s.x.length];
        double noise = Math.sqrt(2 * eta);
        double[] score = s.eval.score();
        for (int p = 0; p < s.k; p++) {
            var r = streams.particle(p);
            for (int i = p * s.d; i < (p + 1) * s.d; i++) y[i] = s.x[i] + eta * score[i] + noise * r.nextGaussian();
        }
        return y;
    }

    /** Moves accepted chains to the proposal; returns the number accepted. */
    protected static int apply(ChainState s, double[] y, LogTarget.Eval ey, boolean[] acc) {
        s.x = Evals.select(s.x, y, acc, s.d);
        s.eval = Evals.select(s.eval, ey, acc, s.d);
        int n = 0;
        for (boolean a : acc) n += a ? 1 : 0;
        return n;
    }
}
