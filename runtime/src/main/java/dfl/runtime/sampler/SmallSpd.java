package dfl.runtime.sampler;

/**
 * Cholesky factorisation, solves and log-determinants of the small symmetric positive-definite matrices of one
 * particle (m × m, row-major in a flat array at an offset): the per-particle arithmetic of second-order twists.
 */
final class SmallSpd {

    private SmallSpd() {}

    /** The lower Cholesky factor of a[off .. off+n²) as a new n×n array, or null when a is not positive definite. */
    static double[] cholesky(double[] a, int off, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[off + i * n + j];
                for (int k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
                if (i == j) {
                    if (!(s > 0)) return null;
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        return l;
    }

    /** Solves L Lᵀ x = b for x (a new array). */
    static double[] solve(double[] l, int n, double[] b) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * z[k];
            z[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * z[k];
            z[i] = s / l[i * n + i];
        }
        return z;
    }

    /** L·w (a new array): a draw from N(0, L Lᵀ) for standard normal w. */
    static double[] lowerTimes(double[] l, int n, double[] w, int wOff) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k <= i; k++) s += l[i * n + k] * w[wOff + k];
            out[i] = s;
        }
        return out;
    }

    /** log det(L Lᵀ). */
    static double logDet(double[] l, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.log(l[i * n + i]);
        return 2 * s;
    }
}
