package dfl.runtime.mcmc;

/**
 * Quadrature on [0, 1] with n equally spaced nodes u_j = j/(n−1): the composite trapezoid rule, or the composite
 * Simpson rule (n odd). Used for the score line integral log π(x′) − log π(x) ≈ ∫₀¹ s(x + u(x′−x))·(x′−x) du.
 */
public record Quadrature(double[] nodes, double[] weights) {

    /** The rule named {@code rule} ("trapezoid" or "simpson") with {@code points} ≥ 2 nodes. */
    public static Quadrature of(String rule, int points) {
        if (points < 2) throw new IllegalArgumentException("a line integral needs at least 2 points, got " + points);
        double h = 1.0 / (points - 1);
        double[] u = new double[points];
        double[] w = new double[points];
        for (int j = 0; j < points; j++) u[j] = j * h;
        switch (rule) {
            case "trapezoid" -> {
                for (int j = 0; j < points; j++) w[j] = (j == 0 || j == points - 1) ? h / 2 : h;
            }
            case "simpson" -> {
                if (points % 2 == 0) {
                    throw new IllegalArgumentException("Simpson's rule needs an odd number of points, got " + points);
                }
                if (points == 1) throw new AssertionError();
                for (int j = 0; j < points; j++) {
                    double c = (j == 0 || j == points - 1) ? 1 : (j % 2 == 1 ? 4 : 2);
                    w[j] = c * h / 3;
                }
            }
            default -> throw new IllegalArgumentException("unknown quadrature rule '" + rule + "' (trapezoid or simpson)");
        }
        return new Quadrature(u, w);
    }

    /** Number of nodes. */
    public int points() {
        return nodes.length;
    }
}
