package dfl.runtime.mcmc.bench;

/**
 * Exact 2-Wasserstein distance between two equal-size point clouds with uniform weights: the optimal assignment
 * under squared Euclidean cost, solved by the Hungarian algorithm with potentials (O(n³)).
 */
public final class Wasserstein {

    private Wasserstein() {}

    /** W2 = sqrt(min over permutations of mean |a_i − b_σ(i)|²). */
    public static double w2(double[][] a, double[][] b) {
        int n = a.length;
        if (b.length != n) throw new IllegalArgumentException("point clouds of different sizes");
        double[][] cost = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < a[i].length; k++) {
                    double t = a[i][k] - b[j][k];
                    s += t * t;
                }
                cost[i][j] = s;
            }
        }
        int[] assignment = assign(cost);
        double total = 0;
        for (int i = 0; i < n; i++) total += cost[i][assignment[i]];
        return Math.sqrt(total / n);
    }

    /** Minimum-cost perfect matching of a square cost matrix: row i goes to column result[i]. */
    static int[] assign(double[][] c) {
        int n = c.length;
        double[] u = new double[n + 1], v = new double[n + 1];
        int[] p = new int[n + 1], way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[n + 1];
            boolean[] used = new boolean[n + 1];
            java.util.Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                double[] row = c[i0 - 1];
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double cur = row[j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] result = new int[n];
        for (int j = 1; j <= n; j++) result[p[j] - 1] = j - 1;
        return result;
    }
}
