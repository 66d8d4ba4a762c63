package dfl.runtime.exact;

import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.smc.LogSumExp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import dfl.runtime.linalg.Dense;

/**
 * Exact compositions of Gaussian mixtures, the reference answers for annealed MCMC: a product of mixtures is a
 * mixture (component pairs multiply: N(x; μ1, Σ1) N(x; μ2, Σ2) = N(μ1; μ2, Σ1+Σ2) · N(x; μ, Σ) with
 * Σ = Σ1(Σ1+Σ2)⁻¹Σ2, μ = Σ2(Σ1+Σ2)⁻¹μ1 + Σ1(Σ1+Σ2)⁻¹μ2) with a known normaliser Z = ∫ p q; a mixture of
 * mixtures is a mixture. Powers other than 1 (negation p1^(1+α)/p2^α) are not mixtures in general:
 * {@link #logDensity} evaluates any composition pointwise for quadrature or importance-sampling references.
 */
public final class GmmAlgebra {

    private GmmAlgebra() {}

    /** A normalised mixture and log Z, the log of the unnormalised composition's integral. */
    public record Normalised(GaussianMixture mixture, double logNormaliser) {}

    /** p·q, normalised, with log ∫ p q. */
    public static Normalised product(GaussianMixture p, GaussianMixture q) {
        int d = p.dimension();
        if (q.dimension() != d) throw new IllegalArgumentException("mixtures of different dimensions");
        int n = p.components() * q.components();
        double[] logW = new double[n];
        double[][] mu = new double[n][];
        double[][][] cov = new double[n][][];
        int c = 0;
        for (int a = 0; a < p.components(); a++) {
            for (int b = 0; b < q.components(); b++, c++) {
                double[][] s1 = p.covariances()[a], s2 = q.covariances()[b];
                double[][] sum = new double[d][d];
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sum[i][j] = s1[i][j] + s2[i][j];
                Dense.Spd f = Dense.spd(sum);
                double[] diff = new double[d];
                for (int i = 0; i < d; i++) diff[i] = p.means()[a][i] - q.means()[b][i];
                logW[c] = Math.log(p.weights()[a]) + Math.log(q.weights()[b])
                        - 0.5 * (d * Math.log(2 * Math.PI) + f.logDet() + Dense.quad(f.inverse(), diff));
                double[][] s1Inv = Dense.mul(s1, f.inverse());
                double[][] s2Inv = Dense.mul(s2, f.inverse());
                double[][] s = Dense.mul(s1Inv, s2);
                for (int i = 0; i < d; i++) {
                    for (int j = i + 1; j < d; j++) {
                        double avg = 0.5 * (s[i][j] + s[j][i]);
                        s[i][j] = avg;
                        s[j][i] = avg;
                    }
                }
                double[] m1 = Dense.mul(s2Inv, p.means()[a]);
                double[] m2 = Dense.mul(s1Inv, q.means()[b]);
                mu[c] = new double[d];
                for (int i = 0; i < d; i++) mu[c][i] = m1[i] + m2[i];
                cov[c] = s;
            }
        }
        double logZ = LogSumExp.of(logW);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = Math.exp(logW[i] - logZ);
        return new Normalised(new GaussianMixture(w, mu, cov), logZ);
    }

    /** Π p_i, normalised, with log ∫ Π p_i. */
    public static Normalised product(List<GaussianMixture> factors) {
        GaussianMixture acc = factors.get(0);
        double logZ = 0;
        for (int i = 1; i < factors.size(); i++) {
            Normalised n = product(acc, factors.get(i));
            acc = n.mixture();
            logZ += n.logNormaliser();
        }
        return new Normalised(acc, logZ);
    }

    /** Σ w_i p_i with weights normalised. */
    public static GaussianMixture mixture(List<GaussianMixture> components, double[] weights) {
        double total = 0;
        for (double w : weights) total += w;
        List<double[]> mu = new ArrayList<>();
        List<double[][]> cov = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            GaussianMixture g = components.get(i);
            for (int c = 0; c < g.components(); c++) {
                w.add(weights[i] / total * g.weights()[c]);
                mu.add(g.means()[c]);
                cov.add(g.covariances()[c]);
            }
        }
        return new GaussianMixture(w.stream().mapToDouble(Double::doubleValue).toArray(), mu.toArray(new double[0][]),
                cov.toArray(new double[0][][]));
    }

    /**
     * The exact composition of a tree of gmm diffusion priors (products, mixtures, powers of exponent 1) with every
     * prior noised to ᾱ = {@code alphaBar}, and log of its integral (the mixture node uses its components'
     * unnormalised densities, as the sampler does); empty when the tree has another power or a non-gmm term.
     */
    public static Optional<Normalised> exact(Density tree, double alphaBar) {
        if (tree instanceof Density.Diffusion d && d.model() instanceof ModelRef.Gmm g) {
            return Optional.of(new Normalised(GaussianMixture.of(g).noised(alphaBar), 0.0));
        }
        if (tree instanceof Density.Power p && p.exponent() == 1.0) return exact(p.base(), alphaBar);
        if (tree instanceof Density.Product p) {
            List<GaussianMixture> parts = new ArrayList<>();
            double logZ = 0;
            for (Density t : p.terms()) {
                Optional<Normalised> n = exact(t, alphaBar);
                if (n.isEmpty()) return Optional.empty();
                parts.add(n.get().mixture());
                logZ += n.get().logNormaliser();
            }
            Normalised prod = product(parts);
            return Optional.of(new Normalised(prod.mixture(), logZ + prod.logNormaliser()));
        }
        if (tree instanceof Density.Mixture m) {
            // Σ w_i C_i with C_i = Z_i q_i (q_i normalised): a mixture of the q_i with weights ∝ w_i Z_i
            List<GaussianMixture> parts = new ArrayList<>();
            double total = m.weights().stream().mapToDouble(Double::doubleValue).sum();
            double[] logTerms = new double[m.components().size()];
            for (int i = 0; i < logTerms.length; i++) {
                Optional<Normalised> n = exact(m.components().get(i), alphaBar);
                if (n.isEmpty()) return Optional.empty();
                parts.add(n.get().mixture());
                logTerms[i] = Math.log(m.weights().get(i) / total) + n.get().logNormaliser();
            }
            double logZ = LogSumExp.of(logTerms);
            double[] w = new double[logTerms.length];
            for (int i = 0; i < w.length; i++) w[i] = Math.exp(logTerms[i] - logZ);
            return Optional.of(new Normalised(mixture(parts, w), logZ));
        }
        return Optional.empty();
    }

    /**
     * The unnormalised log-density of any composition of gmm diffusion priors noised to {@code alphaBar}, pointwise
     * (products add, powers scale, mixtures log-sum-exp the weighted normalised log-densities).
     */
    public static ToDoubleFunction<double[]> logDensity(Density tree, double alphaBar) {
        if (tree instanceof Density.Diffusion d && d.model() instanceof ModelRef.Gmm g) {
            return GaussianMixture.of(g).noised(alphaBar).logDensityFunction();
        }
        if (tree instanceof Density.Power p) {
            ToDoubleFunction<double[]> b = logDensity(p.base(), alphaBar);
            double e = p.exponent();
            return x -> e * b.applyAsDouble(x);
        }
        if (tree instanceof Density.Product p) {
            List<ToDoubleFunction<double[]>> fs = p.terms().stream().map(t -> logDensity(t, alphaBar)).toList();
            return x -> {
                double s = 0;
                for (ToDoubleFunction<double[]> f : fs) s += f.applyAsDouble(x);
                return s;
            };
        }
        if (tree instanceof Density.Mixture m) {
            List<ToDoubleFunction<double[]>> fs = m.components().stream().map(t -> logDensity(t, alphaBar)).toList();
            double total = m.weights().stream().mapToDouble(Double::doubleValue).sum();
            double[] lw = m.weights().stream().mapToDouble(w -> Math.log(w / total)).toArray();
            return x -> {
                double[] t = new double[fs.size()];
                for (int i = 0; i < t.length; i++) t[i] = lw[i] + fs.get(i).applyAsDouble(x);
                return LogSumExp.of(t);
            };
        }
        throw new IllegalArgumentException("no closed form for " + tree.getClass().getSimpleName()
                + " terms other than gmm(...) diffusion priors");
    }

    /** n exact draws from a mixture (component by weight, then mean + L z with the Cholesky factor L). */
    public static double[][] sample(GaussianMixture g, int n, SplittableRandom rng) {
        int d = g.dimension();
        double[][][] chol = new double[g.components()][][];
        for (int c = 0; c < chol.length; c++) chol[c] = Dense.spd(g.covariances()[c]).lower();
        double[][] out = new double[n][d];
        double[] z = new double[d];
        for (int s = 0; s < n; s++) {
            double u = rng.nextDouble(), acc = 0;
            int c = g.components() - 1;
            for (int i = 0; i < g.components(); i++) {
                acc += g.weights()[i];
                if (u < acc) {
                    c = i;
                    break;
                }
            }
            for (int i = 0; i < d; i++) z[i] = rng.nextGaussian();
            for (int i = 0; i < d; i++) {
                double v = g.means()[c][i];
                for (int j = 0; j <= i; j++) v += chol[c][i][j] * z[j];
                out[s][i] = v;
            }
        }
        return out;
    }
}
