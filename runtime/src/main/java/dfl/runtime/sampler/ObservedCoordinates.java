package dfl.runtime.sampler;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.TensorExpr;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * The latent coordinates that masked observations {@code observe y ~ Normal(M * x, σ)} (M a 0/1 tensor) pin down, as
 * the inpainting replacement variant needs them: their flat indices into the latent, the observed values, and σ² of
 * each. Data elements where M = 0 do not depend on x; their factor N(y_j; 0, σ²) is a constant of the evidence,
 * kept in {@link #constantLogLikelihood()} so the replacement evidence estimates the same p(y) as TDS does.
 *
 * @param index                 observed flat indices into the latent, ascending
 * @param values                y at those indices
 * @param variance              σ² of the observation that covers each index
 * @param constantLogLikelihood Σ log N(y_j; 0, σ²) over the data elements the masks leave out
 */
record ObservedCoordinates(int[] index, double[] values, double[] variance, double constantLogLikelihood) {

    /** Number of observed coordinates. */
    int size() {
        return index.length;
    }

    /**
     * Reads the masks and data of {@code target}'s likelihoods. Throws {@link DflRuntimeException} ({@code E0113},
     * the variant is an invalid choice for this program) when a likelihood is not a 0/1 mask times the latent, when
     * two observations cover the same coordinate, or when the target has factors (classifier powers), which replacement
     * cannot condition on. The compiler rejects the same programs; this guards plans built by hand.
     */
    static ObservedCoordinates of(Target target) {
        if (!target.factors().isEmpty()) {
            throw reject("the target has the factor '" + target.factors().get(0).name() + "', and replacement conditions only "
                    + "on masked observations; use tds(...) without variant, which twists by every factor");
        }
        int d = (int) target.shape().size();
        boolean[] seen = new boolean[d];
        double[] value = new double[d];
        double[] var = new double[d];
        double constant = 0;
        ExprEvaluator ev = target.expressions();
        for (LikelihoodTerm l : target.likelihoods()) {
            TensorExpr mean = l.spec().mean();
            if (!(l.spec().family() instanceof dfl.plan.LikelihoodFamily.Normal) || maskOf(mean) == null || mean.shape().size() != d
                    || l.spec().data().shape().size() != d) {
                throw reject("the observation at line " + l.spec().span().startLine() + " is not Normal(M * x, σ) with a mask M "
                        + "of the latent's shape; replacement needs every observation to fix latent coordinates one to one");
            }
            double[] m;
            double[] y;
            try (NDManager nd = NDManager.newBaseManager()) {
                // M broadcast to the latent's shape, in the latent's element order
                m = l.unitResponse(target.shape(), nd);
                y = ev.constant(l.spec().data(), nd).toType(DataType.FLOAT64, false).toDoubleArray();
            }
            double s2 = l.variance();
            for (int j = 0; j < d; j++) {
                if (m[j] == 1.0) {
                    if (seen[j]) {
                        throw reject("two observations cover latent element " + j + "; replacement needs disjoint masks");
                    }
                    seen[j] = true;
                    value[j] = y[j];
                    var[j] = s2;
                } else if (m[j] == 0.0) {
                    constant += -0.5 * (y[j] * y[j] / s2 + StrictMath.log(2 * Math.PI * s2));
                } else {
                    throw reject("the mask of the observation at line " + l.spec().span().startLine() + " has the value " + m[j]
                            + " at element " + j + "; replacement needs a mask of zeros and ones");
                }
            }
        }
        List<Integer> idx = new ArrayList<>();
        for (int j = 0; j < d; j++) if (seen[j]) idx.add(j);
        int[] index = idx.stream().mapToInt(Integer::intValue).toArray();
        double[] values = new double[index.length];
        double[] variance = new double[index.length];
        for (int o = 0; o < index.length; o++) {
            values[o] = value[index[o]];
            variance[o] = var[index[o]];
        }
        return new ObservedCoordinates(index, values, variance, constant);
    }

    /** The mask expression of {@code M * x} or {@code x * M} (M free of the latent), else null. */
    static TensorExpr maskOf(TensorExpr mean) {
        if (!(mean instanceof TensorExpr.Binary b) || b.op() != TensorExpr.Op.MUL) return null;
        if (b.left() instanceof TensorExpr.Latent && !b.right().usesLatent()) return b.right();
        if (b.right() instanceof TensorExpr.Latent && !b.left().usesLatent()) return b.left();
        return null;
    }

    private static DflRuntimeException reject(String why) {
        return new DflRuntimeException(Code.E0113, "tds(variant = \"replacement\") cannot run this program: " + why);
    }
}
