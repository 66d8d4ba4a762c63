package dfl.runtime.schedule;

import static org.junit.jupiter.api.Assertions.*;

import dfl.plan.Schedule;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @Test
    void linearScheduleMatchesClosedForm() {
        NoiseSchedule s = NoiseSchedule.of(Schedule.DEFAULT);
        assertEquals(1000, s.trainSteps());
        assertEquals(1 - 1e-4, s.alphaBar(0), 1e-15);
        assertEquals((1 - 1e-4) * (1 - (1e-4 + (0.02 - 1e-4) / 999)), s.alphaBar(1), 1e-15);
        // the well-known value of ᾱ_T for the DDPM schedule
        assertEquals(4.036e-5, s.alphaBar(999), 1e-7);
        for (int t = 1; t < 1000; t++) assertTrue(s.alphaBar(t) < s.alphaBar(t - 1));
    }

    @Test
    void cosineScheduleStartsNearOneAndEndsNearZero() {
        NoiseSchedule s = NoiseSchedule.of(new Schedule("cosine", 1000, 0, 0));
        assertTrue(s.alphaBar(0) > 0.9999);
        assertTrue(s.alphaBar(999) < 1e-4);
        double mid = Math.pow(Math.cos((0.5 + 0.008) / 1.008 * Math.PI / 2), 2) / Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
        assertEquals(mid, s.alphaBar(499), 1e-9);
    }

    @Test
    void respacingKeepsEndpointsAndProductOfBetas() {
        NoiseSchedule s = NoiseSchedule.of(Schedule.DEFAULT);
        RespacedSchedule r = s.respace(50);
        assertEquals(0, r.trainStep(1));
        assertEquals(999, r.trainStep(50));
        double prod = 1;
        for (int i = 1; i <= 50; i++) {
            prod *= 1 - r.beta(i);
            assertEquals(r.alphaBar(i), prod, 1e-12);
            assertTrue(r.posteriorVariance(i) >= 0 && r.posteriorVariance(i) <= r.beta(i));
        }
        assertEquals(0.0, r.posteriorVariance(1), 0.0);
        assertEquals(1.0, r.meanCoefX0(1), 1e-12);
        RespacedSchedule full = s.respace(1000);
        for (int i = 1; i <= 1000; i++) assertEquals(i - 1, full.trainStep(i));
        assertThrows(dfl.runtime.DflRuntimeException.class, () -> s.respace(1001));
    }

    @Test
    void quadraticSpacingStepsThroughEveryTrainingStepNearTheDataAndKeepsTheEndpoints() {
        NoiseSchedule s = NoiseSchedule.of(Schedule.DEFAULT);
        for (int steps : new int[] {1, 2, 50, 200, 999, 1000}) {
            RespacedSchedule q = s.respace(steps, dfl.plan.SamplerSpec.Spacing.QUADRATIC);
            assertEquals(999, q.trainStep(steps));
            for (int i = 2; i <= steps; i++) assertTrue(q.trainStep(i) > q.trainStep(i - 1), "strictly increasing at " + i);
        }
        RespacedSchedule q = s.respace(200, dfl.plan.SamplerSpec.Spacing.QUADRATIC);
        for (int i = 1; i <= 10; i++) assertEquals(i - 1, q.trainStep(i), "one training step apart near the data");
        // the last stride is about twice the even one: 2·999/199
        assertEquals(10, q.trainStep(200) - q.trainStep(199), 1);
    }

    @Test
    void tailSpacingStepsThroughTheLastFifthOneTrainingStepApartAndSpacesTheRestEvenly() {
        NoiseSchedule s = NoiseSchedule.of(Schedule.DEFAULT);
        for (int steps : new int[] {1, 2, 4, 5, 50, 100, 200, 999, 1000}) {
            RespacedSchedule t = s.respace(steps, dfl.plan.SamplerSpec.Spacing.TAIL);
            assertEquals(999, t.trainStep(steps));
            for (int i = 2; i <= steps; i++) assertTrue(t.trainStep(i) > t.trainStep(i - 1), "strictly increasing at " + i);
        }
        RespacedSchedule t = s.respace(100, dfl.plan.SamplerSpec.Spacing.TAIL);
        for (int i = 1; i <= 20; i++) assertEquals(i - 1, t.trainStep(i), "one training step apart near the data");
        // the other 80 steps share training steps 19..999: a stride of 980/80 = 12.25
        assertEquals(12.25, (t.trainStep(100) - t.trainStep(20)) / 80.0, 1e-9);
    }
}
