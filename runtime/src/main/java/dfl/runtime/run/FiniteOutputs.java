package dfl.runtime.run;

import dfl.diag.Code;
import dfl.runtime.DflRuntimeException;
import java.util.Locale;

/**
 * The last guard before a run's result leaves the runtime: every sample must be finite <em>as written</em>
 * ({@code samples.npy} is float32, so a float64 state beyond ±3.4e38 becomes ±inf there), every normalised
 * log-weight must be a number below +∞ (−∞ is a particle of weight exactly zero) and not all of them −∞, and an
 * evidence estimate, where the sampler made one, must be finite; the weights must still sum to 1 (a log-weight of
 * −1e78 absorbs log K in float64, so "normalised" weights could all be 1). A violation is a {@link DflRuntimeException}
 * with {@link Code#E0303} that says which output left the representable range, where and with what value.
 */
public final class FiniteOutputs {

    /** How far from 0 the log-sum-exp of normalised log-weights may be (rounding over 10⁸ particles stays far below). */
    static final double NORMALISED = 1e-6;

    private FiniteOutputs() {}

    /**
     * {@code x} (k particles of d values, particle-major) as float32 sample rows; E0303 when a value is NaN,
     * infinite, or finite in float64 but outside the float32 range (it would be written as ±inf).
     *
     * @param after the step the state was reached at, for the message (e.g. "the last sampling step (1)")
     */
    public static float[][] toFloat32(double[] x, int k, int d, String after) {
        float[][] out = new float[k][d];
        int bad = 0;
        int first = -1;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                double v = x[i * d + j];
                float f = (float) v;
                if (!Float.isFinite(f)) {
                    if (first < 0) first = i * d + j;
                    bad++;
                }
                out[i][j] = f;
            }
        }
        if (bad > 0) {
            double v = x[first];
            throw new DflRuntimeException(Code.E0303, String.format(Locale.ROOT,
                    "numerical failure after %s: %d of %d sample values are %s; the first is particle %d, coordinate %d = %s. "
                            + "samples.npy is float32, which holds magnitudes up to %.7g: rescale the model (means, data, σ) "
                            + "or check it for a blow-up",
                    after, bad, x.length, Double.isNaN(v) ? "NaN or outside the float32 range" : "outside the float32 range",
                    first / d + 1, first % d + 1, describe(v), (double) Float.MAX_VALUE));
        }
        return out;
    }

    /** The index of the first value of {@code x} that is NaN or beyond the float32 range, or −1. */
    public static int firstOutsideFloat32(double[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite((float) x[i])) return i;
        }
        return -1;
    }

    /**
     * Checks every output of {@code r}: samples (float32), log-weights and the evidence estimates; E0303 naming the
     * first offending value. {@code evidenceExpected} says the sampler estimates log p(y), so NaN is a failure there.
     */
    public static RunResult check(RunResult r, boolean evidenceExpected) {
        float[][] s = r.samples();
        int bad = 0;
        int fp = -1, fj = -1;
        long total = 0;
        for (int i = 0; i < s.length; i++) {
            total += s[i].length;
            for (int j = 0; j < s[i].length; j++) {
                if (!Float.isFinite(s[i][j])) {
                    if (fp < 0) {
                        fp = i;
                        fj = j;
                    }
                    bad++;
                }
            }
        }
        if (bad > 0) {
            throw new DflRuntimeException(Code.E0303, String.format(Locale.ROOT,
                    "numerical failure after the last sampling step: %d of %d sample values are not finite in float32 "
                            + "(samples.npy); the first is particle %d, coordinate %d = %s",
                    bad, total, fp + 1, fj + 1, describe(s[fp][fj])));
        }
        double[] lw = r.logWeights();
        boolean any = false;
        for (int i = 0; i < lw.length; i++) {
            if (Double.isNaN(lw[i]) || lw[i] == Double.POSITIVE_INFINITY) {
                throw new DflRuntimeException(Code.E0303, "numerical failure after the last sampling step: the normalised "
                        + "log-weight of particle " + (i + 1) + " is " + describe(lw[i]) + " (log_weights.npy)");
            }
            any |= lw[i] > Double.NEGATIVE_INFINITY;
        }
        if (lw.length > 0 && !any) {
            throw new DflRuntimeException(Code.E0304, "all " + lw.length + " output weights are zero (every normalised "
                    + "log-weight is -inf)");
        }
        double lse = dfl.runtime.smc.LogSumExp.of(lw);
        if (lw.length > 0 && Math.abs(lse) > NORMALISED) {
            throw new DflRuntimeException(Code.E0303, String.format(Locale.ROOT, "numerical failure after the last "
                    + "sampling step: the output weights do not sum to 1 (their log-sum-exp is %.6g, not 0); the log-weights "
                    + "were too large in magnitude (log-evidence %s) for float64 to keep their differences", lse,
                    describe(r.logEvidence())));
        }
        double z = r.logEvidence();
        if (Double.isInfinite(z) || (evidenceExpected && Double.isNaN(z))) {
            throw new DflRuntimeException(Code.E0303, "numerical failure after the last sampling step: the log-evidence "
                    + "estimate is " + describe(z) + "; it must be a finite number");
        }
        for (int i = 0; i < r.runLogEvidence().size(); i++) {
            double zi = r.runLogEvidence().get(i);
            if (!Double.isFinite(zi)) {
                throw new DflRuntimeException(Code.E0303, "numerical failure after the last sampling step: the log-evidence "
                        + "estimate of run " + (i + 1) + " is " + describe(zi) + "; it must be a finite number");
            }
        }
        return r;
    }

    private static String describe(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == Double.POSITIVE_INFINITY) return "+inf";
        if (v == Double.NEGATIVE_INFINITY) return "-inf";
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
