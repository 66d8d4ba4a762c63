package dfl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.diag.Code;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 1: a run whose values stay finite in float64 but not in float32 (the dtype of samples.npy) fails
 * with E0303 through the embedding API, before anything is written, instead of returning ±inf samples.
 */
class FiniteOutputsApiTest {

    private static DflRunException failure(String program) {
        DflModel m = Dfl.compile(program, "huge.dfl");
        try (SamplerRun r = m.sampler().setParticles(8).optSeed(1).build()) {
            return assertThrows(DflRunException.class, r::run);
        }
    }

    /** The reproducer: a prior mean of 1e39 put every sample's first coordinate at +inf in float32 (exit 0). */
    @Test
    void aPriorBeyondTheFloat32RangeIsE0303() {
        DflRunException e = failure("prior = diffusion(gmm(means = [[1e39, 0]], std = 1));\n"
                + "sample x with reverse(particles = 8, steps = 5);\n");
        assertEquals(Code.E0303, e.code());
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
        assertTrue(e.getMessage().contains("coordinate 1"), e.getMessage());
        assertTrue(e.getMessage().contains("first left the float32 range at sampling step"), e.getMessage());
        assertTrue(e.rendered().contains("DFL-E0303"), e.rendered());
    }

    /**
     * {@code y = [1e39]} in posterior2d: at 200 steps the samples leave float32; at 5 steps they stay inside
     * (8e35) but the log-weights (around −5e78) absorb log K, so the "normalised" weights were all 1 (summing to K).
     */
    @Test
    void anObservationBeyondTheFloat32RangeIsE0303() {
        String program = DflApiTest.POSTERIOR2D.replace("y = [1.2];", "y = [1e39];");
        for (int steps : new int[] {200, 5}) {
            DflModel m = Dfl.compile(program, "y.dfl");
            try (SamplerRun r = m.sampler().setParticles(64).optSteps(steps).optSeed(1).build()) {
                DflRunException e = assertThrows(DflRunException.class, r::run, "steps = " + steps);
                assertEquals(Code.E0303, e.code(), e.getMessage());
            }
        }
    }

    /** Control: a prior mean of 1e30 is representable and runs. */
    @Test
    void aLargeButRepresentablePriorRuns() {
        DflModel m = Dfl.compile("prior = diffusion(gmm(means = [[1e30, 0]], std = 1));\n"
                + "sample x with reverse(particles = 8, steps = 5);\n", "big.dfl");
        try (SamplerRun r = m.sampler().setParticles(8).optSeed(1).build()) {
            Result res = r.run();
            for (float[] s : res.samples()) assertTrue(Float.isFinite(s[0]) && s[0] > 1e29f);
        }
    }
}
