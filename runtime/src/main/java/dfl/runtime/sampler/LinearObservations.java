package dfl.runtime.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.LikelihoodFamily;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/**
 * Every observation of a target as one linear-Gaussian observation in the coordinates of an SVD, as {@code mcgdiff}
 * needs it. The rows of all likelihoods {@code y ~ Normal(G(x), σ)} with G affine, G(x) = A x + b, are stacked and
 * whitened (A_w = A/σ, y_w = (y − b)/σ per row) and factorised A_w = U S Vᵀ. In the coordinates x̄ = Vᵀ x the likelihood
 * is a product of one-dimensional Gaussians: log p(y | x) = Σ_{i &lt; r} log N(ȳ_i; x̄_i, 1/s_i²) + C, with
 * ȳ_i = u_iᵀ y_w / s_i, r the rank and C the constant of the rows (and the residual of y_w outside the range of A_w).
 *
 * <p>A and b are read off by evaluating G at 0, at the unit vectors and at a random point (one batched evaluation of
 * d + 2 latents), which also checks that G is affine. Rows beyond the rank (repeated or dependent rows) are handled:
 * they only enter C.
 *
 * @param basis    the r right singular vectors v_i (rows of length d), with s_i &gt; 0
 * @param values   ȳ_i per coordinate
 * @param variance 1/s_i², the observation's noise variance in each coordinate
 * @param constant C, so that log p(y | x) = Σ log N(ȳ_i; x̄_i, 1/s_i²) + C
 * @param rows     the number of observed rows m
 */
record LinearObservations(double[][] basis, double[] values, double[] variance, double constant, int rows) {

    /** The largest latent whose observation matrix is read and factorised densely (a 64×64 image). */
    static final int MAX_LATENT = 4096;

    /** Number of observed SVD coordinates (the rank of A). */
    int rank() {
        return basis.length;
    }

    /**
     * Reads and factorises the observations of {@code target}. Throws {@link DflRuntimeException} E0218 (the sampler is
     * an invalid choice for this program) when the target has factors or an observation that is not Normal or not
     * affine in the latent; the compiler rejects the same programs, this guards plans built by hand.
     */
    static LinearObservations of(Target target) {
        if (!target.factors().isEmpty()) {
            throw reject("the target has the factor '" + target.factors().get(0).name() + "', and mcgdiff conditions only on "
                    + "linear-Gaussian observations; use tds(...), which twists by every factor");
        }
        if (target.likelihoods().isEmpty()) throw reject("the program observes nothing; sample the prior with reverse(...)");
        int d = (int) target.shape().size();
        if (d > MAX_LATENT) {
            throw reject("the latent has " + d + " elements, and mcgdiff factorises the dense observation matrix (at most "
                    + MAX_LATENT + " columns); use tds(...)");
        }
        List<double[]> a = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> sigma = new ArrayList<>();
        for (LikelihoodTerm l : target.likelihoods()) read(l, target, d, a, y, sigma);
        int m = a.size();
        R064Store aw = R064Store.FACTORY.make(m, d);
        double[] yw = new double[m];
        double constant = 0;
        for (int i = 0; i < m; i++) {
            double s = sigma.get(i);
            for (int j = 0; j < d; j++) aw.set(i, j, a.get(i)[j] / s);
            yw[i] = y.get(i) / s;
            constant += -0.5 * StrictMath.log(2 * Math.PI * s * s);
        }
        SingularValue<Double> svd = SingularValue.R064.make(aw);
        if (!svd.decompose(aw)) throw new IllegalStateException("the SVD of the observation matrix did not converge");
        double[] sv = new double[Math.min(m, d)];
        svd.getSingularValues(sv);
        MatrixStore<Double> v = svd.getV();
        double largest = java.util.Arrays.stream(sv).max().orElse(0);
        // float32 operators (a network prior's data type) are read to about 1e-7; treat smaller singular values as zero
        double tol = largest * Math.max(m, d) * (target.expressions().dataType() == DataType.FLOAT64 ? 1e-12 : 1e-6);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < sv.length; i++) if (sv[i] > tol) kept.add(i);
        int r = kept.size();
        double[][] basis = new double[r][d];
        double[] values = new double[r];
        double[] variance = new double[r];
        double[] fitted = new double[m];
        for (int q = 0; q < r; q++) {
            int i = kept.get(q);
            double s = sv[i];
            for (int j = 0; j < d; j++) basis[q][j] = v.doubleValue(j, i);
            double[] u = new double[m]; // u_i = A_w v_i / s_i
            double c = 0;
            for (int row = 0; row < m; row++) {
                double t = 0;
                for (int j = 0; j < d; j++) t += aw.doubleValue(row, j) * basis[q][j];
                u[row] = t / s;
                c += u[row] * yw[row];
            }
            for (int row = 0; row < m; row++) fitted[row] += c * u[row];
            values[q] = c / s;
            variance[q] = 1 / (s * s);
            constant += 0.5 * StrictMath.log(2 * Math.PI) - StrictMath.log(s);
        }
        double residual = 0;
        for (int row = 0; row < m; row++) residual += (yw[row] - fitted[row]) * (yw[row] - fitted[row]);
        constant -= 0.5 * residual;
        return new LinearObservations(basis, values, variance, constant, m);
    }

    /** Appends the rows of {@code l} (A's rows, y − b and σ per row); E0113 unless it is Normal and affine in x. */
    private static void read(LikelihoodTerm l, Target target, int d, List<double[]> a, List<Double> y, List<Double> sigma) {
        int line = l.spec().span().startLine();
        if (!(l.spec().family() instanceof LikelihoodFamily.Normal)) {
            throw reject("the observation at line " + line + " is " + l.spec().family().name() + ", and mcgdiff needs Normal "
                    + "observations; use tds(...)");
        }
        ExprEvaluator ev = target.expressions();
        int n = l.rows();
        double[] probe = new double[(d + 2) * d];
        for (int i = 0; i < d; i++) probe[(i + 1) * d + i] = 1.0;
        SplittableRandom rng = new SplittableRandom(12345);
        double[] z = new double[d];
        for (int i = 0; i < d; i++) {
            z[i] = rng.nextDouble(-1, 1);
            probe[(d + 1) * d + i] = z[i];
        }
        double[] g;
        try (NDManager m = NDManager.newBaseManager()) {
            long[] dims = new long[target.shape().rank() + 1];
            dims[0] = d + 2;
            for (int i = 0; i < target.shape().rank(); i++) dims[i + 1] = target.shape().dim(i);
            NDArray x = m.create(probe, new ai.djl.ndarray.types.Shape(dims)).toType(ev.dataType(), false);
            g = l.predicted(x, m).toType(DataType.FLOAT64, false).toDoubleArray();
        }
        double[] obs = l.observed();
        double rel = ev.dataType() == DataType.FLOAT64 ? 1e-9 : 1e-4;
        double s = Math.sqrt(l.variance());
        for (int row = 0; row < n; row++) {
            double b = g[row];
            double[] coef = new double[d];
            double pred = b, scale = Math.abs(b);
            for (int i = 0; i < d; i++) {
                coef[i] = g[(i + 1) * n + row] - b;
                pred += coef[i] * z[i];
                scale += Math.abs(coef[i] * z[i]);
            }
            double actual = g[(d + 1) * n + row];
            if (!(Math.abs(pred - actual) <= rel * (1 + scale))) {
                throw reject("the mean of the observation at line " + line + " is not linear in the latent (element " + row
                        + " of G(x) is not A x + b); mcgdiff needs observe y ~ Normal(A @ x, σ), Normal(M * x, σ) or another "
                        + "linear operator of x; use tds(...)");
            }
            a.add(coef);
            y.add(obs[row] - b);
            sigma.add(s);
        }
    }

    private static DflRuntimeException reject(String why) {
        return new DflRuntimeException(Code.E0218, "mcgdiff cannot run this program: " + why);
    }
}
