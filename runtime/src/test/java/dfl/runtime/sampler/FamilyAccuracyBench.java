package dfl.runtime.sampler;

import dfl.plan.SamplerSpec;
import java.util.List;
import java.util.Locale;

/**
 * TDS with each observation family against quadrature ({@link FamilyCase}), as a table: per case and twist variance,
 * the errors of the posterior means and variances (in exact posterior standard deviations and relative) and of
 * log Ẑ, averaged over R runs of one {@code tds(runs = R)} batch, with the largest |t| as {@link LikelihoodFamiliesTest}
 * computes it. Includes the cases the tests leave out because the default twist is over-confident on them
 * ({@code bernoulli-gain4}: logits of gain 4; {@code phase-2x2}: the toy example's ambiguous magnitudes).
 *
 * <p>Usage: {@code FamilyAccuracyBench K T RUNS TWIST,TWIST.. [CASE,CASE..]} with twists {@code tweedie}, {@code reference},
 * {@code none}, {@code second_order} (Normal observations only).
 */
public final class FamilyAccuracyBench {

    record Named(String name, FamilyCase c) {}

    static List<Named> cases() {
        double[][] gain4 = new double[LikelihoodFamiliesTest.LOGIT_ROWS.length][];
        double[] offsets4 = new double[gain4.length];
        for (int i = 0; i < gain4.length; i++) {
            gain4[i] = new double[] {LikelihoodFamiliesTest.LOGIT_ROWS[i][0] * 4 / 1.5, LikelihoodFamiliesTest.LOGIT_ROWS[i][1] * 4 / 1.5};
            offsets4[i] = LikelihoodFamiliesTest.LOGIT_OFFSETS[i] * 4 / 1.5;
        }
        return List.of(new Named("laplace", FamilyCase.laplace(0.2, 1.8, 1.2)), new Named("studentt", FamilyCase.studentT(0.2, 3, 2.3, 0.6)),
                new Named("poisson", FamilyCase.poisson(2, 60, 18)),
                new Named("bernoulli", FamilyCase.bernoulli(LikelihoodFamiliesTest.LOGIT_ROWS, LikelihoodFamiliesTest.LOGIT_OFFSETS,
                        LikelihoodFamiliesTest.OUTCOMES)),
                new Named("bernoulli-gain4", FamilyCase.bernoulli(gain4, offsets4, LikelihoodFamiliesTest.OUTCOMES)),
                new Named("tanh", FamilyCase.tanhNormal(0.05, 0.75, 0.48)), new Named("phase-1x2", FamilyCase.phaseRetrieval(0.2, 3, 1)));
    }

    public static void main(String[] args) {
        int k = Integer.parseInt(args[0]), t = Integer.parseInt(args[1]), runs = Integer.parseInt(args[2]);
        System.out.printf(Locale.ROOT, "K = %d, T = %d, %d runs in one tds(runs = %d) batch from seed 100%n%n", k, t, runs, runs);
        System.out.println("| case | twist | mean err (post. s.d.) | var err (relative) | log Ẑ − log p(y) | max |t| | t of Ẑ | s |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<String> only = args.length > 4 ? List.of(args[4].split(",")) : List.of();
        for (Named n : cases()) {
            if (!only.isEmpty() && !only.contains(n.name())) continue;
            AccuracyCase.Exact e = n.c().exact();
            for (String twist : args[3].split(",")) {
                boolean normalOnly = twist.equals("second_order");
                if (normalOnly && !(n.c().likelihood().family() instanceof dfl.plan.LikelihoodFamily.Normal)) continue;
                SamplerSpec.Tds spec = new SamplerSpec.Tds(k, t, SamplerSpec.Resampling.SYSTEMATIC, 0.5, new SamplerSpec.TwistVariance(
                        SamplerSpec.TwistVariance.Kind.valueOf(twist.toUpperCase(Locale.ROOT)), 0.12), false, SamplerSpec.Spacing.TAIL);
                long t0 = System.nanoTime();
                FamilyCase.Errors err = n.c().errors(e, n.c().likelihood(), spec, runs, 100);
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f | %.3f | %.3f | %.1f | %.1f | %.1f |%n", n.name(), twist, err.meanError(),
                        err.varianceError(), err.logZError(), err.score().momentT(), err.score().evidenceT(), (System.nanoTime() - t0) * 1e-9);
            }
        }
    }
}
