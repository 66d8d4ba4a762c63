package dfl.runtime.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.LikelihoodFamily;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.run.RunResult;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Finite but meaningless output: W0006 when a run collapsed or blew up without leaving the representable range
 * (issue 15, item 1: MNIST card.dfl at 3 steps gave pixels of ±1399 and exit 0 without a word). Two checks, both
 * against the prior's {@linkplain dfl.runtime.model.DiffusionModel#dataRange() range} [lo, hi]:
 * <ul>
 *   <li>samples: a value outside [lo − w, hi + w], w = hi − lo (for images in [−1, 1]: beyond ±3), which no prior
 *       draw and no reasonable posterior reaches;
 *   <li>evidence, for observations without factors: log p(y) = log E_prior p(y | x) is at least the log-likelihood of
 *       the worst point of the range, so an estimate below the floor C + 4 (L_min − C) is a sampler that lost the data.
 *       C is the largest log-likelihood (zero residuals) and L_min the smallest over the range's centre and
 *       {@value #PROBES} of its corners (fixed seed); the factor 4 (twice the residual) covers corners not tried.
 * </ul>
 */
final class BlowUpCheck {

    static final int PROBES = 16;

    private BlowUpCheck() {}

    /** The warnings for {@code r} under a prior of {@code range} (nothing when the prior has none). */
    static List<Diagnostic> warnings(RunResult r, Optional<double[]> range, List<LikelihoodTerm> likelihoods, boolean factors,
            DataType type, NDManager manager) {
        if (range.isEmpty()) return List.of();
        double lo = range.get()[0], hi = range.get()[1];
        List<Diagnostic> out = new ArrayList<>();
        samples(r, lo, hi).ifPresent(out::add);
        boolean normal = likelihoods.stream().allMatch(l -> l.spec().family() instanceof LikelihoodFamily.Normal);
        // the floor needs each likelihood's largest value, −½·rows·log(2πσ²) for Normal observations (the others have none here)
        if (!likelihoods.isEmpty() && normal && !factors && Double.isFinite(r.logEvidence())) {
            evidence(r, lo, hi, likelihoods, type, manager).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<Diagnostic> samples(RunResult r, double lo, double hi) {
        double w = hi - lo;
        double min = lo - w, max = hi + w;
        float[][] s = r.samples();
        long bad = 0, total = 0;
        int fp = -1, fj = -1;
        for (int i = 0; i < s.length; i++) {
            total += s[i].length;
            for (int j = 0; j < s[i].length; j++) {
                if (s[i][j] < min || s[i][j] > max) {
                    if (fp < 0) {
                        fp = i;
                        fj = j;
                    }
                    bad++;
                }
            }
        }
        if (bad == 0) return Optional.empty();
        return Optional.of(Diagnostic.warning(Code.W0006, Span.NONE, String.format(Locale.ROOT,
                "%,d of %,d sample values lie outside [%s, %s], far beyond the prior's range [%s, %s]; the first is particle %d, "
                        + "coordinate %d = %s. The sampler blew up, or the data contradicts the prior; these are not draws of the "
                        + "model.", bad, total, fmt(min), fmt(max), fmt(lo), fmt(hi), fp + 1, fj + 1, fmt(s[fp][fj])),
                "More steps (--steps), a larger σ, or the default twist (twist_var = tweedie) keep the state in range; "
                        + "trace.csv shows the step where the ESS fell."));
    }

    private static Optional<Diagnostic> evidence(RunResult r, double lo, double hi, List<LikelihoodTerm> likelihoods,
            DataType type, NDManager manager) {
        int d = (int) r.shape().size();
        double centre = (lo + hi) / 2, half = (hi - lo) / 2;
        double[] probes = new double[(PROBES + 1) * d];
        java.util.Arrays.fill(probes, 0, d, centre);
        SplittableRandom rng = new SplittableRandom(0x5EED);
        for (int p = 1; p <= PROBES; p++) {
            for (int j = 0; j < d; j++) probes[p * d + j] = centre + (rng.nextBoolean() ? half : -half);
        }
        double best = 0, worst;
        try (NDManager m = manager.newSubManager()) {
            long[] dims = new long[r.shape().rank() + 1];
            dims[0] = PROBES + 1;
            for (int i = 0; i < r.shape().rank(); i++) dims[i + 1] = r.shape().dim(i);
            NDArray x = m.create(probes, new ai.djl.ndarray.types.Shape(dims)).toType(type, false);
            NDArray total = null;
            for (LikelihoodTerm l : likelihoods) {
                best += -0.5 * l.rows() * StrictMath.log(2 * Math.PI * l.variance());
                NDArray ld = l.logDensity(x, 0, m);
                total = total == null ? ld : total.add(ld);
            }
            double[] ll = total.toType(DataType.FLOAT64, false).toDoubleArray();
            worst = java.util.Arrays.stream(ll).min().orElse(best);
        }
        double floor = best + 4 * (worst - best);
        if (!(r.logEvidence() < floor)) return Optional.empty();
        return Optional.of(Diagnostic.warning(Code.W0006, Span.NONE, String.format(Locale.ROOT,
                "the evidence estimate log p̂(y) = %s is below %s, the log-likelihood of the data at the worst corner of the prior's "
                        + "range [%s, %s] (with a margin); log p(y) cannot be that low, so the sampler lost the data (a collapse "
                        + "or blow-up) and its samples are not the posterior.", fmt(r.logEvidence()), fmt(floor), fmt(lo), fmt(hi)),
                "More steps (--steps) or particles, a larger σ, or the default twist (twist_var = tweedie)."));
    }

    /** {@code v} with up to 4 decimals (or 4 significant digits with an exponent), trailing zeros dropped. */
    static String fmt(double v) {
        String s = String.format(Locale.ROOT, Math.abs(v) >= 1e6 || (v != 0 && Math.abs(v) < 1e-3) ? "%.4g" : "%.4f", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }
}
