package dfl.runtime.smc;

import static org.junit.jupiter.api.Assertions.*;

import dfl.plan.SamplerSpec.Resampling;
import dfl.runtime.DflRuntimeException;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** Invariants of {@link ParticleWeights}: the evidence bookkeeping through resampling, ESS bounds and the checks. */
class ParticleWeightsProperties {

    /**
     * Whatever the resampling threshold, the evidence equals the product over resampling epochs of the mean weight, and
     * the step factors returned by reweight sum to it (with the initial weighting's mean): resampling moves the
     * evidence into the bank, never changes it.
     */
    @Property(tries = 200)
    void evidenceIsTheProductOfEpochMeansAndTheStepFactorsSumToIt(@ForAll @IntRange(min = 1, max = 60) int k,
            @ForAll @IntRange(min = 1, max = 30) int steps, @ForAll @DoubleRange(min = 0, max = 1) double threshold,
            @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] init = new double[k];
        for (int p = 0; p < k; p++) init[p] = 3 * r.nextGaussian();
        ParticleWeights w = new ParticleWeights(init, steps);
        double sumOfFactors = w.logMeanWeight();
        double[] direct = init.clone(); // the same weights kept by hand
        double bank = 0;
        for (int i = steps; i >= 1; i--) {
            ParticleWeights.Resampling res = w.resampleIfBelow(threshold, Resampling.SYSTEMATIC, r.split());
            assertTrue(res.essBefore() >= 1 - 1e-9 && res.essBefore() <= k + 1e-9, "ESS " + res.essBefore());
            if (res.resampled()) {
                bank += LogSumExp.of(direct) - Math.log(k);
                java.util.Arrays.fill(direct, 0.0);
                assertTrue(res.unique() >= 1 && res.unique() <= k);
            }
            double[] incr = new double[k];
            for (int p = 0; p < k; p++) incr[p] = 2 * r.nextGaussian();
            double before = LogSumExp.of(direct);
            for (int p = 0; p < k; p++) direct[p] += incr[p];
            double factor = w.reweight(incr, i);
            assertEquals(LogSumExp.of(direct) - before, factor, 1e-9);
            sumOfFactors += factor;
        }
        double expected = bank + LogSumExp.of(direct) - Math.log(k);
        assertEquals(expected, w.logEvidence(), 1e-8);
        assertEquals(expected, sumOfFactors, 1e-8);
        double total = 0;
        for (double v : w.normalisedLog()) total += Math.exp(v);
        assertEquals(1.0, total, 1e-9);
    }

    @Example
    void nonFiniteAndAllZeroWeightsAreDiagnosticsNamingWhere() {
        ParticleWeights w = new ParticleWeights(new double[] {0, 0}, 5);
        DflRuntimeException nan = assertThrows(DflRuntimeException.class,
                () -> w.reweight(new double[] {Double.NaN, 0}, "annealing level 3"));
        assertTrue(nan.getMessage().contains("annealing level 3"), nan.getMessage());
        ParticleWeights z = new ParticleWeights(new double[] {0, 0}, 5);
        DflRuntimeException zero = assertThrows(DflRuntimeException.class,
                () -> z.reweight(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, 4));
        assertTrue(zero.getMessage().contains("all 2 particle weights are zero at sampling step 4"), zero.getMessage());
        // a particle at zero weight stays there, whatever its increment
        ParticleWeights one = new ParticleWeights(new double[] {Double.NEGATIVE_INFINITY, 0}, 5);
        one.reweight(new double[] {5, 1}, 4);
        assertEquals(Double.NEGATIVE_INFINITY, one.normalisedLog()[0]);
    }
}
