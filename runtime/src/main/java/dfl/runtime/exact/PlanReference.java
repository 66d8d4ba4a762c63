package dfl.runtime.exact;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.plan.Density;
import dfl.plan.LikelihoodFamily;
import dfl.plan.ModelRef;
import dfl.plan.SamplerPlan;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.likelihood.Batched;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.model.RuntimeProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact answer for a plan whose prior is one gmm(...) diffusion and whose likelihoods are Normal and affine in the
 * latent: G is read off by evaluating it at 0 and at the unit vectors (one batched call), and affinity is
 * verified at a random point, so any mix of constants, @, +, −, * by constants and affine built-ins works.
 */
public final class PlanReference {

    private PlanReference() {}

    /** The exact posterior and evidence of {@code plan}; throws {@link IllegalArgumentException} if it has no closed form. */
    public static LinearGaussianPosterior of(SamplerPlan plan, RuntimeProvider provider) {
        if (!(plan.prior() instanceof Density.Diffusion diff) || !(diff.model() instanceof ModelRef.Gmm g)) {
            throw new IllegalArgumentException("the exact reference needs a single gmm(...) prior without factors");
        }
        GaussianMixture prior = GaussianMixture.of(g);
        if (plan.likelihoods().isEmpty()) return new LinearGaussianPosterior(prior, 0.0);
        int d = prior.dimension();
        List<double[]> rows = new ArrayList<>();
        List<Double> offsets = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Double> sigmas = new ArrayList<>();
        try (ExprEvaluator ev = new ExprEvaluator(provider, DataType.FLOAT64); NDManager m = NDManager.newBaseManager()) {
            double[] probe = new double[(d + 2) * d];
            for (int i = 0; i < d; i++) probe[(i + 1) * d + i] = 1.0;
            java.util.SplittableRandom r = new java.util.SplittableRandom(12345);
            double[] z = new double[d];
            for (int i = 0; i < d; i++) {
                z[i] = r.nextGaussian();
                probe[(d + 1) * d + i] = z[i];
            }
            long[] dims = new long[plan.latent().shape().rank() + 1];
            dims[0] = d + 2;
            for (int i = 0; i < plan.latent().shape().rank(); i++) dims[i + 1] = plan.latent().shape().dim(i);
            NDArray x = m.create(probe, new ai.djl.ndarray.types.Shape(dims));
            for (SamplerPlan.Likelihood l : plan.likelihoods()) {
                if (!(l.family() instanceof LikelihoodFamily.Normal normal)) {
                    throw new IllegalArgumentException("a " + l.family().name() + " observation has no closed-form posterior");
                }
                Batched out = ev.evaluate(l.mean(), x, m);
                int n = (int) l.data().shape().size();
                double[] gv = out.array().toType(DataType.FLOAT64, false).toDoubleArray();
                if (!out.batched()) throw new IllegalArgumentException("a likelihood does not depend on the latent");
                double[] y = ev.constant(l.data(), m).toDoubleArray();
                for (int row = 0; row < n; row++) {
                    double b = gv[row];
                    double[] a = new double[d];
                    double pred = b;
                    for (int i = 0; i < d; i++) {
                        a[i] = gv[(i + 1) * n + row] - b;
                        pred += a[i] * z[i];
                    }
                    double actual = gv[(d + 1) * n + row];
                    if (Math.abs(pred - actual) > 1e-9 * (1 + Math.abs(actual))) {
                        throw new IllegalArgumentException("the likelihood mean is not affine in the latent: no exact reference");
                    }
                    rows.add(a);
                    offsets.add(b);
                    ys.add(y[row]);
                    sigmas.add(normal.sigma());
                }
            }
        }
        return LinearGaussianPosterior.of(prior, rows.toArray(new double[0][]),
                offsets.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray(),
                sigmas.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
