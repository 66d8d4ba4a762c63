package dfl.models.mnist;

import java.util.Properties;

/**
 * DDPM variance schedule (Ho et al. 2020): linear β from {@code betaStart} to {@code betaEnd} over
 * {@code steps} training steps, ᾱ_t = Π_{s≤t}(1 − β_s), indices 0..steps−1. Computed in double.
 *
 * @param steps number of training diffusion steps T
 * @param betaStart β_0
 * @param betaEnd β_{T−1}
 */
public record DdpmSchedule(int steps, double betaStart, double betaEnd) {

    /** The shipped model's schedule: T = 1000, β linear 1e-4 → 0.02. */
    public static DdpmSchedule standard() {
        return new DdpmSchedule(1000, 1e-4, 0.02);
    }

    /** @return β_t for t = 0..T−1 */
    public double[] betas() {
        double[] b = new double[steps];
        for (int t = 0; t < steps; t++) {
            b[t] = steps == 1 ? betaStart : betaStart + (betaEnd - betaStart) * t / (steps - 1);
        }
        return b;
    }

    /** @return ᾱ_t for t = 0..T−1 */
    public double[] alphaBars() {
        double[] b = betas();
        double[] ab = new double[steps];
        double acc = 1.0;
        for (int t = 0; t < steps; t++) {
            acc *= 1.0 - b[t];
            ab[t] = acc;
        }
        return ab;
    }

    /** Writes the schedule as {@code schedule.*} properties. */
    public void store(Properties p) {
        p.setProperty("schedule.type", "linear");
        p.setProperty("schedule.steps", Integer.toString(steps));
        p.setProperty("schedule.beta_start", Double.toString(betaStart));
        p.setProperty("schedule.beta_end", Double.toString(betaEnd));
        p.setProperty("schedule.prediction", "epsilon");
    }

    /** Reads a schedule written by {@link #store}. */
    public static DdpmSchedule load(Properties p) {
        String type = p.getProperty("schedule.type", "linear");
        if (!type.equals("linear")) {
            throw new IllegalArgumentException("unsupported schedule.type " + type);
        }
        return new DdpmSchedule(Integer.parseInt(p.getProperty("schedule.steps")),
                Double.parseDouble(p.getProperty("schedule.beta_start")),
                Double.parseDouble(p.getProperty("schedule.beta_end")));
    }
}
