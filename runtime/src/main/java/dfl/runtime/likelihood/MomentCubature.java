package dfl.runtime.likelihood;

/**
 * Points z_n and weights w_n with Σ w_n f(z_n) ≈ E f(z), z ~ N(0, I_d): the rule behind the moment-matched twist
 * ({@link LikelihoodTerm#momentLogDensity}). Up to {@link #PRODUCT_MAX_DIMENSION} dimensions it is the product of the
 * 3-point Gauss–Hermite rule (nodes 0, ±√3, weights 2/3, 1/6, 1/6) over the coordinates, 3^d points, exact for every
 * polynomial of degree ≤ 5 in each coordinate: the mean and variance of a G quadratic in z come out exact. Above it, the
 * 2d points ±√d e_j with weights 1/(2d) (the cubature Kalman filter's spherical rule: positive weights, so the variance
 * stays ≥ 0), exact for the mean of a quadratic G; its variance misses the cross terms ∂²G/∂z_i∂z_j (i ≠ j) and
 * overstates the diagonal ones (E z⁴ taken as d instead of 3), a wider, safe twist.
 *
 * @param d       dimension
 * @param nodes   the points, [P·d] row by row
 * @param weights their weights, [P], summing to 1
 */
public record MomentCubature(int d, double[] nodes, double[] weights) {

    /** The largest dimension with the product rule (3^6 = 729 points); above it the axes rule. */
    public static final int PRODUCT_MAX_DIMENSION = 6;

    private static final double ROOT3 = Math.sqrt(3);

    /** The rule for dimension {@code d}. */
    public static MomentCubature of(int d) {
        return d <= PRODUCT_MAX_DIMENSION ? product(d) : axes(d);
    }

    /** The 3^d-point product rule. */
    static MomentCubature product(int d) {
        int p = (int) Math.round(Math.pow(3, d));
        double[] node1 = {0, ROOT3, -ROOT3}, weight1 = {2.0 / 3, 1.0 / 6, 1.0 / 6};
        double[] nodes = new double[p * d], weights = new double[p];
        for (int n = 0; n < p; n++) {
            double w = 1;
            for (int j = 0, rest = n; j < d; j++, rest /= 3) {
                nodes[n * d + j] = node1[rest % 3];
                w *= weight1[rest % 3];
            }
            weights[n] = w;
        }
        return new MomentCubature(d, nodes, weights);
    }

    /** The 2d-point spherical rule. */
    static MomentCubature axes(int d) {
        double[] nodes = new double[2 * d * d], weights = new double[2 * d];
        double r = Math.sqrt(d);
        for (int j = 0; j < d; j++) {
            nodes[2 * j * d + j] = r;
            nodes[(2 * j + 1) * d + j] = -r;
        }
        java.util.Arrays.fill(weights, 1.0 / (2 * d));
        return new MomentCubature(d, nodes, weights);
    }

    /** Number of points P. */
    public int points() {
        return weights.length;
    }
}
