package dfl.runtime.mcmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.exact.GmmAlgebra;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.rng.ParticleStreams;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each Metropolis-adjusted kernel leaves its target invariant: K chains started at exact independent draws stay
 * exact draws after any number of steps, so their moments must match the closed form within Monte Carlo error
 * (|z| &lt; 4.5 for every mean and covariance entry; K independent chains, so each z is N(0, 1)-like and the
 * seeds are fixed). The known wrong versions (MALA density with variance η, HMC without the kinetic term, HMC with
 * the line integral summed along the leapfrog positions, one accept/reject decision for the whole batch) are
 * implemented here and the same check must reject each of them.
 */
class KernelInvarianceTest {

    static final int K = 4000;
    static final int STEPS = 30;
    static final double Z_MAX = 4.5;

    static final JavaGmmTarget GAUSS = JavaGmmTarget.gaussian(new double[] {0.5, -1},
            new double[][] {{1.0, 0.6}, {0.6, 0.8}});
    static final JavaGmmTarget MIX = new JavaGmmTarget(new GaussianMixture(new double[] {0.3, 0.7},
            new double[][] {{-1, 0}, {1, 0.5}}, new double[][][] {{{0.36, 0}, {0, 0.36}}, {{0.36, 0.1}, {0.1, 0.5}}}));
    /** Two narrower, well separated components. */
    static final JavaGmmTarget SHARP = new JavaGmmTarget(new GaussianMixture(new double[] {0.5, 0.5},
            new double[][] {{-1, 0}, {1, 0}}, new double[][][] {{{0.1, 0}, {0, 0.1}}, {{0.1, 0}, {0, 0.1}}}));

    /** max |z| of the chains' moments after STEPS steps of {@code kernel} with step η, started at exact draws. */
    static double runZ(JavaGmmTarget target, McmcKernel kernel, double eta, long seed) {
        int d = target.dimension();
        double[][] draws = GmmAlgebra.sample(target.mixture(), K, new SplittableRandom(seed));
        double[] x = new double[K * d];
        for (int p = 0; p < K; p++) System.arraycopy(draws[p], 0, x, p * d, d);
        ParticleStreams streams = new ParticleStreams(seed + 1, K);
        LogTarget.Need need = kernel.mh().endpointNeed();
        ChainState s = new ChainState(K, d, x, target.evaluate(x, 1, need));
        for (int i = 0; i < STEPS; i++) kernel.step(target, s, 1, eta, streams, need);
        double z = Moments.maxZ(s.x, d, target.mixture());
        // printed for docs/composition.md (mvn -B -o -pl runtime -am test -Dtest=KernelInvarianceTest ...)
        System.out.printf(java.util.Locale.ROOT, "%s, mh %s, on the %s, η = %s, seed %d: max |z| = %.2f%n", describe(kernel),
                kernel.mh().mode(), target == GAUSS ? "Gaussian" : target == MIX ? "mixture" : target == SHARP ? "sharp mixture" : "target",
                eta, seed, z);
        return z;
    }

    static String describe(McmcKernel k) {
        Class<?> c = k.getClass();
        return c.isAnonymousClass() ? "wrong " + c.getSuperclass().getSimpleName() : c.getSimpleName();
    }

    static void assertInvariant(Supplier<McmcKernel> kernel, double eta) {
        for (JavaGmmTarget t : new JavaGmmTarget[] {GAUSS, MIX}) {
            double z = runZ(t, kernel.get(), eta, 11);
            assertTrue(z < Z_MAX, "moments moved away from the target: max |z| = " + z);
        }
    }

    static void assertDetected(Supplier<McmcKernel> wrong, double eta) {
        double z = runZ(GAUSS, wrong.get(), eta, 11);
        assertTrue(z > Z_MAX, "the invariance check did not detect the wrong kernel: max |z| = " + z);
    }

    @Test
    void malaWithEnergyIsInvariant() {
        assertInvariant(() -> new MalaKernel(MhRatio.energy()), 0.4);
    }

    @Test
    void malaWithLineIntegralIsInvariant() {
        // on a Gaussian the score is linear, so even the 2-point trapezoid is exact; on the mixture Simpson 5 is needed
        double z = runZ(GAUSS, new MalaKernel(MhRatio.lineIntegral("trapezoid", 2)), 0.4, 11);
        assertTrue(z < Z_MAX, "max |z| = " + z);
        assertInvariant(() -> new MalaKernel(MhRatio.lineIntegral("simpson", 5)), 0.4);
    }

    @Test
    void hmcWithEnergyIsInvariant() {
        assertInvariant(() -> new HamiltonianKernel(3, 1.0, 0.0, MhRatio.energy()), 0.3);
    }

    @Test
    void hmcWithPartialRefreshAndMomentumFlipIsInvariant() {
        assertInvariant(() -> new HamiltonianKernel(2, 2.0, 0.7, MhRatio.energy()), 0.3);
    }

    @Test
    void hmcWithStraightLineIntegralIsInvariant() {
        // the score integrated from the start to the end of the trajectory (Simpson, 5 points: 3 extra evaluations)
        // plus the exact kinetic change; at η = 0.5 the leapfrog-path rule below is far off (|z| ≈ 20)
        assertInvariant(() -> new HamiltonianKernel(3, 1.0, 0.0, MhRatio.lineIntegral("simpson", 5)), 0.5);
        assertInvariant(() -> new HamiltonianKernel(3, 1.0, 0.0, MhRatio.lineIntegral("trapezoid", 5)), 0.5);
        assertInvariant(() -> new HamiltonianKernel(2, 2.0, 0.7, MhRatio.lineIntegral("simpson", 5)), 0.5);
    }

    @Test
    void hmcWithLeapfrogPathLineIntegralIsDetected() {
        // the negative control: today's rule before the fix, trapezoids between successive leapfrog positions
        double z = runZ(MIX, new LeapfrogPathKernel(3, 1.0, 0.0), 0.5, 11);
        assertTrue(z > Z_MAX, "the invariance check did not detect the leapfrog-path line integral: max |z| = " + z);
        double zSharp = runZ(SHARP, new LeapfrogPathKernel(3, 1.0, 0.0), 0.2, 11);
        assertTrue(zSharp > Z_MAX, "not detected on the sharper mixture: max |z| = " + zSharp);
        double fixed = runZ(SHARP, new HamiltonianKernel(3, 1.0, 0.0, MhRatio.lineIntegral("simpson", 5)), 0.2, 11);
        assertTrue(fixed < Z_MAX, "the straight line integral moved the sharper mixture: max |z| = " + fixed);
    }

    @Test
    void leapfrogPathRuleOnlyComparesScoreNorms() {
        // with the leapfrog positions as nodes, Σ trapezoids − ΔK = (ε²/8m)(|s(x_0)|² − |s(x_L)|²) exactly, whatever π is
        int d = 2, k = 50, leapfrog = 4;
        double mass = 1.7, eta = 0.2, eps = Math.sqrt(2 * eta * mass);
        double[] x = new double[k * d];
        ParticleStreams streams = new ParticleStreams(9, k);
        streams.fillNormal(x, d);
        double[][] recorded = new double[3][];
        LeapfrogPathKernel kernel = new LeapfrogPathKernel(leapfrog, mass, 0.0) {
            @Override
            double[] logTargetRatio(LogTarget target, int level, double[][] xs, LogTarget.Eval[] evals) {
                recorded[0] = super.logTargetRatio(target, level, xs, evals);
                recorded[1] = evals[0].score();
                recorded[2] = evals[xs.length - 1].score();
                return recorded[0];
            }

            @Override
            protected double[] kineticDifference(double[] before, double[] after, int d) {
                double[] dk = super.kineticDifference(before, after, d);
                double[] logR = recorded[0];
                for (int p = 0; p < logR.length; p++) {
                    double s0 = 0, sl = 0;
                    for (int i = p * d; i < (p + 1) * d; i++) {
                        s0 += recorded[1][i] * recorded[1][i];
                        sl += recorded[2][i] * recorded[2][i];
                    }
                    assertEquals(eps * eps / (8 * mass) * (s0 - sl), logR[p] - dk[p], 1e-9);
                }
                return dk;
            }
        };
        kernel.step(MIX, new ChainState(k, d, x, MIX.evaluate(x, 1, LogTarget.Need.SCORE)), 1, eta, streams, LogTarget.Need.SCORE);
        assertTrue(recorded[0] != null);
    }

    @Test
    void ulaMatchesItsClosedFormBias() {
        // ULA on N(0, 1): x' = (1 − η) x + √(2η) ξ has stationary variance 2 / (2 − η), not 1
        JavaGmmTarget std = JavaGmmTarget.gaussian(new double[] {0}, new double[][] {{1}});
        double eta = 0.5;
        double v = 2 / (2 - eta);
        GaussianMixture biased = new GaussianMixture(new double[] {1}, new double[][] {{0}}, new double[][][] {{{v}}});
        double[] x = new double[K];
        ParticleStreams streams = new ParticleStreams(3, K);
        streams.fillNormal(x, 1);
        ChainState s = new ChainState(K, 1, x, std.evaluate(x, 1, LogTarget.Need.SCORE));
        UlaKernel ula = new UlaKernel();
        for (int i = 0; i < 60; i++) ula.step(std, s, 1, eta, streams, LogTarget.Need.SCORE);
        assertTrue(Moments.maxZ(s.x, 1, biased) < Z_MAX, "ULA's variance differs from 2/(2−η)");
        assertTrue(Moments.maxZ(s.x, 1, std.mixture()) > Z_MAX, "ULA's bias was not visible");
    }

    @Test
    void malaWithProposalVarianceEtaIsDetected() {
        assertDetected(() -> new MalaKernel(MhRatio.energy()) {
            @Override
            protected double logProposal(double[] to, double[] from, double[] scoreFrom, double eta, int p, int d) {
                return 2 * super.logProposal(to, from, scoreFrom, eta, p, d); // −|·|²/(2η): variance η, drawn with 2η
            }
        }, 0.4);
    }

    @Test
    void hmcWithCancelledKineticTermIsDetected() {
        assertDetected(() -> new HamiltonianKernel(3, 1.0, 0.0, MhRatio.energy()) {
            @Override
            protected double[] kineticDifference(double[] before, double[] after, int d) {
                // the public code updated v in place, so "before" and "after" were the same array
                return super.kineticDifference(after, after, d);
            }
        }, 0.3);
    }

    @Test
    void batchWideAcceptIsDetected() {
        assertDetected(() -> new MalaKernel(MhRatio.energy()) {
            @Override
            protected boolean[] decide(double[] logR, ParticleStreams streams) {
                double mean = 0;
                for (double r : logR) mean += r / logR.length;
                boolean all = Math.log(streams.particle(0).nextDouble()) < mean;
                for (int p = 1; p < logR.length; p++) streams.particle(p).nextDouble();
                boolean[] acc = new boolean[logR.length];
                java.util.Arrays.fill(acc, all);
                return acc;
            }
        }, 0.4);
    }

    @Test
    void costPerStepIsAsDocumented() {
        int d = 2, k = 8;
        double[] x = new double[k * d];
        ParticleStreams streams = new ParticleStreams(5, k);
        streams.fillNormal(x, d);
        CountingTarget c = new CountingTarget(MIX);
        ChainState s = new ChainState(k, d, x, c.evaluate(x, 1, LogTarget.Need.SCORE));
        long before = c.calls();
        new HamiltonianKernel(3, 1, 0, MhRatio.lineIntegral("trapezoid", 7)).step(c, s, 1, 0.1, streams, LogTarget.Need.SCORE);
        assertEquals(3 + 5, c.calls() - before, "HMC: L leapfrog evaluations plus n − 2 interior points of the segment");
        s.eval = c.evaluate(s.x, 1, LogTarget.Need.SCORE_AND_ENERGY);
        before = c.calls();
        new HamiltonianKernel(3, 1, 0, MhRatio.energy()).step(c, s, 1, 0.1, streams, LogTarget.Need.SCORE);
        assertEquals(3, c.calls() - before, "HMC with energies: L leapfrog evaluations");
        before = c.calls();
        new MalaKernel(MhRatio.lineIntegral("simpson", 5)).step(c, s, 1, 0.1, streams, LogTarget.Need.SCORE);
        assertEquals(1 + 3, c.calls() - before, "MALA: one proposal evaluation plus n − 2 interior points");
    }
}
