package dfl.runtime.linalg;

import org.ojalgo.matrix.decomposition.Cholesky;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/**
 * Small dense linear algebra on {@code double[][]} through ojAlgo: Cholesky factors, log-determinants and
 * inverses of symmetric positive-definite matrices, plus the few products the exact formulas need.
 */
public final class Dense {

    private Dense() {}

    /** Cholesky factorisation of an SPD matrix: its inverse and log-determinant. */
    public record Spd(double[][] inverse, double logDet, double[][] lower) {}

    /** Factorises {@code a} (symmetric positive definite); throws {@link IllegalArgumentException} if it is not. */
    public static Spd spd(double[][] a) {
        int n = a.length;
        R064Store s = R064Store.FACTORY.make(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) s.set(i, j, 0.5 * (a[i][j] + a[j][i]));
        }
        Cholesky<Double> chol = Cholesky.R064.make(s);
        if (!chol.decompose(s) || !chol.isSPD()) {
            throw new IllegalArgumentException("matrix is not symmetric positive definite");
        }
        MatrixStore<Double> l = chol.getL();
        double[][] lower = toArray(l, n, n);
        double logDet = 0;
        for (int i = 0; i < n; i++) logDet += 2 * StrictMath.log(lower[i][i]);
        double[][] inv = toArray(chol.getInverse(), n, n);
        return new Spd(inv, logDet, lower);
    }

    private static double[][] toArray(MatrixStore<Double> m, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[i][j] = m.doubleValue(i, j);
        }
        return out;
    }

    /** a·b. */
    public static double[][] mul(double[][] a, double[][] b) {
        int n = a.length, m = b[0].length, k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                double v = a[i][p];
                if (v == 0) continue;
                for (int j = 0; j < m; j++) c[i][j] += v * b[p][j];
            }
        }
        return c;
    }

    /** a·v. */
    public static double[] mul(double[][] a, double[] v) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (int j = 0; j < v.length; j++) s += a[i][j] * v[j];
            out[i] = s;
        }
        return out;
    }

    /** aᵀ. */
    public static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        }
        return t;
    }

    /** The n×n identity scaled by {@code s}. */
    public static double[][] identity(int n, double s) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) a[i][i] = s;
        return a;
    }

    /** Quadratic form vᵀ P v. */
    public static double quad(double[][] p, double[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double r = 0;
            for (int j = 0; j < v.length; j++) r += p[i][j] * v[j];
            s += v[i] * r;
        }
        return s;
    }
}
