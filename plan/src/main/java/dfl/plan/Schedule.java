package dfl.plan;

import java.util.Properties;

/**
 * A DDPM noise schedule, the one schedule of the project: {@code kind} is {@code linear} (β from betaStart to
 * betaEnd) or {@code cosine} (Nichol and Dhariwal, offset 0.008, β clipped at 0.999), over {@code trainSteps}
 * training steps with ᾱ_t = Π_{s≤t} (1 − β_s) for t = 0 .. trainSteps−1, computed in double. Samplers respace it
 * to their own number of steps; trained networks store it with their weights ({@link #store}, {@link #load}).
 */
public record Schedule(String kind, int trainSteps, double betaStart, double betaEnd) {

    /** The DDPM default (Ho et al. 2020), also the shipped MNIST model's: linear β from 1e-4 to 0.02 over 1000 steps. */
    public static final Schedule DEFAULT = new Schedule("linear", 1000, 1e-4, 0.02);

    /** β_t for t = 0 .. trainSteps−1; throws IllegalArgumentException for an unknown kind or no steps. */
    public double[] betas() {
        int n = trainSteps;
        if (n < 1) throw new IllegalArgumentException("schedule needs at least one training step, got " + n);
        double[] betas = new double[n];
        switch (kind) {
            case "linear" -> {
                for (int i = 0; i < n; i++) {
                    betas[i] = n == 1 ? betaStart : betaStart + (betaEnd - betaStart) * i / (n - 1);
                }
            }
            case "cosine" -> {
                for (int i = 0; i < n; i++) {
                    betas[i] = Math.min(1 - cosineAlphaBar((i + 1.0) / n) / cosineAlphaBar((double) i / n), 0.999);
                }
            }
            default -> throw new IllegalArgumentException("unknown schedule kind '" + kind + "' (linear or cosine)");
        }
        return betas;
    }

    /** ᾱ_t = Π_{s≤t} (1 − β_s) for t = 0 .. trainSteps−1. */
    public double[] alphaBars() {
        double[] b = betas();
        double[] ab = new double[b.length];
        double prod = 1;
        for (int i = 0; i < b.length; i++) {
            prod *= 1 - b[i];
            ab[i] = prod;
        }
        return ab;
    }

    private static double cosineAlphaBar(double u) {
        double c = StrictMath.cos((u + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Writes the schedule as {@code schedule.*} properties (the format stored beside trained weights). */
    public void store(Properties p) {
        p.setProperty("schedule.type", kind);
        p.setProperty("schedule.steps", Integer.toString(trainSteps));
        p.setProperty("schedule.beta_start", Double.toString(betaStart));
        p.setProperty("schedule.beta_end", Double.toString(betaEnd));
        p.setProperty("schedule.prediction", "epsilon");
    }

    /** Reads a schedule written by {@link #store}; throws IllegalArgumentException when it is missing or malformed. */
    public static Schedule load(Properties p) {
        String kind = p.getProperty("schedule.type", "linear");
        if (!kind.equals("linear") && !kind.equals("cosine")) {
            throw new IllegalArgumentException("unsupported schedule.type " + kind + " (linear or cosine)");
        }
        try {
            return new Schedule(kind, Integer.parseInt(required(p, "schedule.steps")),
                    Double.parseDouble(required(p, "schedule.beta_start")), Double.parseDouble(required(p, "schedule.beta_end")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed schedule: " + e.getMessage(), e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException(key + " missing");
        return v.trim();
    }
}
