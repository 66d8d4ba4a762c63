package dfl.runtime.sampler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dfl.plan.SamplerSpec;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.StepListener;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * TDS with the moment-matched twist against quadrature on the nonlinear 2-D cases of the accuracy benchmark whose
 * Tweedie twist fails worst (case seed 1): square2 (y = x₁², two modes x₁ = ±√y) and norm2 (y = ‖x‖², a ring).
 *
 * <p>Tolerances: K = 512 particles resample at ESS < K/2, so a weighted mean carries a Monte Carlo error of about
 * 1/√256 = 0.06 posterior s.d. per run; 0.25 s.d. is 4 such errors. log Ẑ's spread over run seeds was 0.05–0.15 for the
 * moment-matched twist in the NumPy prototype; 0.6 is 4 of the largest. Measured here (AccuracyBench 3 512 100
 * tds,tds-moment square2,norm2): the moment twist averages 0.075 and 0.089 s.d. with Δ log Z −0.10 and −0.13; the
 * negative control, the same checks on the Tweedie twist (the default for linear observations), misses square2 by
 * 0.88 s.d. and 5.8 in log Z.
 */
class MomentTwistAccuracyTest {

    private static final int K = 512, T = 100, RUNS = 3;
    private static final double MEAN_TOL = 0.25, LOGZ_TOL = 0.6;

    @Test
    void momentTwistMeetsQuadratureOnSquare2AndNorm2() {
        for (String name : new String[] {"square2", "norm2"}) {
            AccuracyCase c = AccuracyBench.member(name).make().apply(1);
            double[] err = errors(c, SamplerSpec.TwistVariance.Kind.MOMENT);
            assertTrue(err[0] <= MEAN_TOL && Math.abs(err[1]) <= LOGZ_TOL, describe(name, err));
        }
    }

    @Test
    void tweedieTwistFailsTheSameCheckOnSquare2() {
        AccuracyCase c = AccuracyBench.member("square2").make().apply(1);
        double[] err = errors(c, SamplerSpec.TwistVariance.Kind.TWEEDIE);
        assertTrue(err[0] > MEAN_TOL || Math.abs(err[1]) > LOGZ_TOL, "negative control passed: " + describe("square2", err));
    }

    /** {mean error in posterior s.d., Δ log Z}, each averaged over run seeds 1..RUNS. */
    private static double[] errors(AccuracyCase c, SamplerSpec.TwistVariance.Kind kind) {
        SamplerSpec.Tds spec = new SamplerSpec.Tds(K, T, SamplerSpec.Resampling.SYSTEMATIC, 0.5,
                new SamplerSpec.TwistVariance(kind, 0), false, SamplerSpec.Spacing.TAIL);
        double mean = 0, logZ = 0;
        for (long seed = 1; seed <= RUNS; seed++) {
            try (NDManager manager = NDManager.newBaseManager();
                    Target target = Target.of(c.plan(spec), RuntimeProvider.NONE, manager)) {
                AccuracyCase.Score s = c.measure(new TdsSampler(target, spec, RunOptions.seed(seed), StepListener.NONE, manager).run());
                mean += s.meanError() / RUNS;
                logZ += s.logZError() / RUNS;
            }
        }
        return new double[] {mean, logZ};
    }

    private static String describe(String name, double[] err) {
        return String.format(Locale.ROOT, "%s: mean error %.3f s.d. (tolerance %.2f), Δ log Z %.3f (tolerance %.1f)", name, err[0],
                MEAN_TOL, err[1], LOGZ_TOL);
    }
}
