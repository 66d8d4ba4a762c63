package dfl.runtime.sampler;

import static dfl.runtime.SampleStats.avg;
import static dfl.runtime.SampleStats.var;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.runtime.gmm.GaussianMixture;
import org.junit.jupiter.api.Test;

/**
 * The TDS proposal on sharp observations, against exact posteriors (fixed seeds). The statistic is the root mean
 * square over runs and coordinates of (weighted mean − exact mean)/exact s.d.; the bound 0.25 is the Monte Carlo error of
 * the mean of 16 independent exact posterior draws (1/√16), which a sampler with hundreds of particles must beat. Each
 * check has a negative control that fails it: the overshooting tilt (x̂0 shifted by (1−ᾱ_i)/√ᾱ_i·∇) for the first-order
 * step (both with evenly spaced steps, where the tilts differ most), evenly spaced steps for the default tail spacing, and
 * the first-order Tweedie twist for the second-order one. Cases: the accuracy benchmark's coords16, inpaint64 and band32
 * (case seed 1; see docs/samplers.md for the full table).
 */
class TdsProposalTest {

    private static final double BOUND = 0.25;

    /** RMS standardised error of the weighted posterior means of {@code runs} runs. */
    static double rmsError(AccuracyCase c, String variant, int k, int t, int runs) {
        double[] truth = c.exact().mean(), var = c.exact().variance();
        double s = 0;
        for (int r = 0; r < runs; r++) {
            double[] m = AccuracyBench.run(c, variant, k, t, 100 + r).weightedMean();
            for (int j = 0; j < truth.length; j++) s += (m[j] - truth[j]) * (m[j] - truth[j]) / var[j];
        }
        return Math.sqrt(s / (runs * truth.length));
    }

    /** {@code variant} beats the bound on {@code member} (case seed 1) and {@code control} does not. */
    static void passesWhereTheControlFails(String member, String variant, String control, int k, int t, int runs) {
        AccuracyCase c = AccuracyBench.member(member).make().apply(1);
        double good = rmsError(c, variant, k, t, runs), bad = rmsError(c, control, k, t, runs);
        assertTrue(good < BOUND, variant + ": posterior mean off by " + good + " posterior s.d.");
        assertTrue(bad > BOUND, "negative control " + control + " should miss the bound, error " + bad);
    }

    @Test
    void posteriorVarianceTiltMatchesASharpPosteriorWhereTheScoreStepOvershoots() {
        passesWhereTheControlFails("coords16", "tds-uniform", "tds-uniform-score-step", 512, 100, 4);
    }

    @Test
    void tailSpacingResolvesSharpInpaintingWhereEvenSpacingDoesNot() {
        passesWhereTheControlFails("inpaint64", "tds", "tds-uniform", 2048, 200, 3);
    }

    @Test
    void secondOrderTwistMatchesABlurredPosteriorWhereTheTweedieTwistDoesNot() {
        passesWhereTheControlFails("band32", "tds-second", "tds", 512, 100, 4);
    }
}
