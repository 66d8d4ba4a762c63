package dfl.plan;

/**
 * A DDPM noise schedule: {@code kind} is {@code linear} (β from betaStart to betaEnd) or {@code cosine}
 * (Nichol and Dhariwal, offset 0.008), over {@code trainSteps} training steps; samplers respace it
 * to their own number of steps.
 */
public record Schedule(String kind, int trainSteps, double betaStart, double betaEnd) {

    /** The DDPM default: linear β from 1e-4 to 0.02 over 1000 steps. */
    public static final Schedule DEFAULT = new Schedule("linear", 1000, 1e-4, 0.02);
}
