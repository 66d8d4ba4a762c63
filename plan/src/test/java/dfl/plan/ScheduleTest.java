package dfl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void linearAlphaBarsAreTheProductOfOneMinusBeta() {
        double[] ab = Schedule.DEFAULT.alphaBars();
        assertEquals(1000, ab.length);
        assertEquals(1 - 1e-4, ab[0], 1e-15);
        assertEquals((1 - 1e-4) * (1 - (1e-4 + (0.02 - 1e-4) / 999)), ab[1], 1e-15);
        // ᾱ_999 of the DDPM schedule is about 4.04e-5 (Ho et al. 2020)
        assertEquals(4.04e-5, ab[999], 0.01e-5);
    }

    @Test
    void cosineBetasAreClippedAndAlphaBarDecreases() {
        Schedule cosine = new Schedule("cosine", 1000, 0, 0);
        double[] b = cosine.betas();
        assertEquals(0.999, b[999], 1e-12);
        double[] ab = cosine.alphaBars();
        for (int i = 1; i < ab.length; i++) assertTrue(ab[i] < ab[i - 1], "ᾱ decreases at " + i);
    }

    @Test
    void storeAndLoadRoundTrip() {
        for (Schedule s : new Schedule[] {Schedule.DEFAULT, new Schedule("cosine", 200, 1e-4, 0.05)}) {
            Properties p = new Properties();
            s.store(p);
            assertEquals(s, Schedule.load(p));
        }
    }

    @Test
    void malformedStoredSchedulesAreRejectedWithTheKey() {
        Properties p = new Properties();
        Schedule.DEFAULT.store(p);
        p.remove("schedule.beta_end");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Schedule.load(p)).getMessage().contains("schedule.beta_end"));
        p.setProperty("schedule.beta_end", "0.02");
        p.setProperty("schedule.type", "sigmoid");
        assertThrows(IllegalArgumentException.class, () -> Schedule.load(p));
        assertThrows(IllegalArgumentException.class, () -> new Schedule("linear", 0, 1e-4, 0.02).alphaBars());
    }
}
