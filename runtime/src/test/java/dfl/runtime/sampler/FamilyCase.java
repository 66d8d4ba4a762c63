package dfl.runtime.sampler;

import dfl.plan.LikelihoodFamily;
import dfl.plan.Primitive;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.runtime.TestPlans;
import dfl.runtime.gmm.GaussianMixture;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.RunOptions;
import dfl.runtime.run.RunResult;
import dfl.runtime.run.StepListener;
import dfl.source.Span;
import java.util.List;
import java.util.Locale;

/**
 * One observation family on the 2-D posterior2d prior (weights 0.3/0.7, means (−2, 0) and (2, 1), std 0.5), with the
 * exact posterior by quadrature of an independent Java log-likelihood, and a wrong twin (another constant or rate) for
 * negative controls. {@link #score} runs TDS from several seeds and measures the error in run-to-run standard errors.
 *
 * @param name       what is observed, e.g. {@code Laplace(x1 + x2/2, b = 0.3)}
 * @param likelihood the observation as the plan states it
 * @param logLik     the same log-likelihood written directly in Java, for the quadrature
 * @param cell       the quadrature's cell size
 * @param wrong      the observation with a wrong constant (the negative control)
 */
record FamilyCase(String name, SamplerPlan.Likelihood likelihood, Quadrature2d.LogLikelihood logLik, double cell,
        SamplerPlan.Likelihood wrong) {

    static final GaussianMixture PRIOR = TestPlans.posterior2dPrior();
    static final TensorExpr X = new TensorExpr.Latent(Shape.of(2));
    /** x1 + x2/2, the posterior2d projection. */
    static final TensorExpr PROJECTION = new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(TestPlans.POSTERIOR2D_A), X, Shape.of(1));

    /** y ~ Laplace(x, b) per coordinate; the control uses 2b. */
    static FamilyCase laplace(double b, double... y) {
        return new FamilyCase("Laplace(x, b = " + b + "), y = " + java.util.Arrays.toString(y), lik(y, X, new LikelihoodFamily.Laplace(b)),
                (p, q) -> -Math.abs(y[0] - p) / b - Math.abs(y[1] - q) / b - 2 * Math.log(2 * b), 0.01,
                lik(y, X, new LikelihoodFamily.Laplace(2 * b)));
    }

    /** y ~ StudentT(x, σ, ν) per coordinate (ν a whole number); the control uses 2σ. */
    static FamilyCase studentT(double sigma, int nu, double... y) {
        double c = lgammaHalfInts(nu + 1) - lgammaHalfInts(nu) - 0.5 * Math.log(nu * Math.PI * sigma * sigma);
        return new FamilyCase("StudentT(x, σ = " + sigma + ", ν = " + nu + "), y = " + java.util.Arrays.toString(y),
                lik(y, X, new LikelihoodFamily.StudentT(sigma, nu)),
                (p, q) -> 2 * c - (nu + 1) / 2.0 * (Math.log1p(sq(y[0] - p) / (nu * sigma * sigma)) + Math.log1p(sq(y[1] - q) / (nu * sigma * sigma))),
                0.01, lik(y, X, new LikelihoodFamily.StudentT(2 * sigma, nu)));
    }

    /** Counts y ~ Poisson(exp(x + offset)) per coordinate (a nonlinear G); the control doubles the rate. */
    static FamilyCase poisson(double offset, double... y) {
        TensorExpr shifted = new TensorExpr.Binary(TensorExpr.Op.ADD, X, TensorExpr.Const.scalar(offset), Shape.of(2));
        TensorExpr rate = new TensorExpr.Apply(new Primitive.Elementwise(Primitive.Function.EXP), List.of(shifted), Shape.of(2));
        TensorExpr doubled = new TensorExpr.Binary(TensorExpr.Op.MUL, TensorExpr.Const.scalar(2), rate, Shape.of(2));
        return new FamilyCase("Poisson(exp(x + " + offset + ")), y = " + java.util.Arrays.toString(y), lik(y, rate, new LikelihoodFamily.Poisson()),
                (p, q) -> poissonLog(y[0], Math.exp(p + offset)) + poissonLog(y[1], Math.exp(q + offset)), 0.01,
                lik(y, doubled, new LikelihoodFamily.Poisson()));
    }

    /** Binary y ~ Bernoulli(A @ x + c) for the rows of A; the control negates the logits of the first row. */
    static FamilyCase bernoulli(double[][] a, double[] c, double[] y) {
        TensorExpr logits = affine(a, c);
        double[][] flipped = new double[a.length][];
        double[] cf = c.clone();
        for (int i = 0; i < a.length; i++) flipped[i] = a[i].clone();
        for (int j = 0; j < 2; j++) flipped[0][j] = -flipped[0][j];
        cf[0] = -cf[0];
        return new FamilyCase("Bernoulli(A @ x + c), y = " + java.util.Arrays.toString(y), lik(y, logits, new LikelihoodFamily.Bernoulli()),
                (p, q) -> {
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        double l = a[i][0] * p + a[i][1] * q + c[i];
                        s += y[i] * l - Math.log1p(Math.exp(l));
                    }
                    return s;
                }, 0.01, lik(y, affine(flipped, cf), new LikelihoodFamily.Bernoulli()));
    }

    private static TensorExpr affine(double[][] a, double[] c) {
        TensorExpr ax = new TensorExpr.Binary(TensorExpr.Op.MATMUL, TestPlans.matrix(a), X, Shape.of(a.length));
        return new TensorExpr.Binary(TensorExpr.Op.ADD, ax, TestPlans.vector(c), Shape.of(a.length));
    }

    /** y ~ Normal(tanh(x/2), σ) per coordinate (a nonlinear G); the control uses 2σ. */
    static FamilyCase tanhNormal(double sigma, double... y) {
        TensorExpr half = new TensorExpr.Binary(TensorExpr.Op.DIV, X, TensorExpr.Const.scalar(2), Shape.of(2));
        TensorExpr g = new TensorExpr.Apply(new Primitive.Elementwise(Primitive.Function.TANH), List.of(half), Shape.of(2));
        return new FamilyCase("Normal(tanh(x/2), σ = " + sigma + "), y = " + java.util.Arrays.toString(y),
                lik(y, g, new LikelihoodFamily.Normal(sigma)),
                (p, q) -> normalLog(y[0] - Math.tanh(p / 2), sigma) + normalLog(y[1] - Math.tanh(q / 2), sigma), 0.005,
                lik(y, g, new LikelihoodFamily.Normal(2 * sigma)));
    }

    /**
     * Phase retrieval: y ~ Normal(|FFT2(x as a 1×2 image)|, σ) = Normal([|x1 + x2|, |x1 − x2|], σ), which cannot tell x
     * from −x or from (x2, x1): a posterior with a main mode and a swapped twin. The control uses 2σ.
     */
    static FamilyCase phaseRetrieval(double sigma, double... y) {
        TensorExpr image = new TensorExpr.Apply(new Primitive.Reshape(), List.of(X), Shape.of(1, 2));
        TensorExpr g = new TensorExpr.Apply(new Primitive.FourierMagnitude(), List.of(image), Shape.of(1, 2));
        TensorExpr.Const data = new TensorExpr.Const(List.of(y[0], y[1]), Shape.of(1, 2));
        return new FamilyCase("Normal(abs_fft2(reshape(x, [1, 2])), σ = " + sigma + "), y = " + java.util.Arrays.toString(y),
                new SamplerPlan.Likelihood(data, g, new LikelihoodFamily.Normal(sigma), Span.NONE),
                (p, q) -> normalLog(y[0] - Math.abs(p + q), sigma) + normalLog(y[1] - Math.abs(p - q), sigma), 0.005,
                new SamplerPlan.Likelihood(data, g, new LikelihoodFamily.Normal(2 * sigma), Span.NONE));
    }

    static double sq(double v) {
        return v * v;
    }

    private static SamplerPlan.Likelihood lik(double[] y, TensorExpr mean, LikelihoodFamily family) {
        return new SamplerPlan.Likelihood(TestPlans.vector(y), mean, family, Span.NONE);
    }

    static double poissonLog(double y, double rate) {
        double logFact = 0;
        for (int i = 2; i <= y; i++) logFact += Math.log(i);
        return y * Math.log(rate) - rate - logFact;
    }

    static double normalLog(double r, double sigma) {
        return -0.5 * r * r / (sigma * sigma) - 0.5 * Math.log(2 * Math.PI * sigma * sigma);
    }

    /** log Γ(m/2) for a whole number m ≥ 1, by the recursion from Γ(1/2) = √π and Γ(1) = 1. */
    static double lgammaHalfInts(double m) {
        double v = m % 2 == 0 ? 0 : 0.5 * Math.log(Math.PI);
        for (double z = m % 2 == 0 ? 1 : 0.5; z < m / 2 - 1e-9; z++) v += Math.log(z);
        return v;
    }

    /** The exact posterior moments and log-evidence. */
    AccuracyCase.Exact exact() {
        return Quadrature2d.posterior(PRIOR, logLik, cell);
    }

    /**
     * How far TDS with {@code observation} is from the exact answer: max |t| over the two posterior means and variances,
     * and t of the evidence ratio Ẑ/Z (unbiased, so tested on the natural scale), the Monte Carlo error estimated from
     * the spread of {@code seeds} independent runs.
     */
    record Score(double momentT, double evidenceT) {
        /** Whether moments and evidence are both within {@code tMax} standard errors. */
        boolean passes(double tMax) {
            return momentT < tMax && Math.abs(evidenceT) < tMax;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "max |t| of moments %.2f, t of evidence %.2f", momentT, evidenceT);
        }
    }

    /**
     * The score against the exact answer {@code e} over {@code seeds} independent runs: for TDS the populations of one {@code tds(runs = seeds)} batch
     * (independent, each with its own weights and evidence, and one network call per step for all of them), for other
     * samplers one run per seed from {@code base}.
     */
    Score score(AccuracyCase.Exact e, SamplerPlan.Likelihood observation, SamplerSpec sampler, int seeds, long base) {
        return errors(e, observation, sampler, seeds, base).score();
    }

    /**
     * The average errors over the runs: RMS over the two coordinates of (mean − exact)/exact s.d. and of
     * variance/exact − 1, and log of the runs' mean Ẑ minus log p(y); with the {@link Score}.
     */
    record Errors(double meanError, double varianceError, double logZError, Score score) {}

    Errors errors(AccuracyCase.Exact e, SamplerPlan.Likelihood observation, SamplerSpec sampler, int seeds, long base) {
        double[][] stats = new double[seeds][];
        double[] ratio = new double[seeds];
        if (sampler instanceof SamplerSpec.Tds t) {
            SamplerSpec.Tds batch = new SamplerSpec.Tds(t.particles(), t.steps(), t.resample(), t.ess(), t.twistVar(), false, t.spacing(), seeds);
            RunResult r = Sampling.run(TestPlans.plan(PRIOR, List.of(observation), batch), RunOptions.seed(base), RuntimeProvider.NONE,
                    StepListener.NONE);
            int k = t.particles();
            double[] w = r.weights();
            for (int s = 0; s < seeds; s++) {
                stats[s] = moments(r.samples(), w, s * k, (s + 1) * k);
                ratio[s] = Math.exp(r.runLogEvidence().get(s) - e.logEvidence());
            }
        } else {
            for (int s = 0; s < seeds; s++) {
                RunResult r = Sampling.run(TestPlans.plan(PRIOR, List.of(observation), sampler), RunOptions.seed(base + s), RuntimeProvider.NONE,
                        StepListener.NONE);
                stats[s] = moments(r.samples(), r.weights(), 0, r.particles());
                ratio[s] = Math.exp(r.logEvidence() - e.logEvidence());
            }
        }
        double[] truth = {e.mean()[0], e.mean()[1], e.variance()[0], e.variance()[1]};
        double worst = 0;
        for (int j = 0; j < truth.length; j++) {
            double[] col = new double[seeds];
            for (int s = 0; s < seeds; s++) col[s] = stats[s][j];
            worst = Math.max(worst, Math.abs(t(col, truth[j])));
        }
        double me = 0, ve = 0;
        for (int j = 0; j < 2; j++) {
            double m = 0, v = 0;
            for (double[] st : stats) {
                m += st[j] / seeds;
                v += st[2 + j] / seeds;
            }
            me += sq(m - e.mean()[j]) / e.variance()[j] / 2;
            ve += sq(v / e.variance()[j] - 1) / 2;
        }
        return new Errors(Math.sqrt(me), Math.sqrt(ve), Math.log(dfl.runtime.SampleStats.avg(ratio)), new Score(worst, t(ratio, 1.0)));
    }

    /** {mean x1, mean x2, var x1, var x2} of rows [from, to) under their weights (renormalised). */
    private static double[] moments(float[][] x, double[] w, int from, int to) {
        double sw = 0, m0 = 0, m1 = 0;
        for (int p = from; p < to; p++) {
            sw += w[p];
            m0 += w[p] * x[p][0];
            m1 += w[p] * x[p][1];
        }
        m0 /= sw;
        m1 /= sw;
        double v0 = 0, v1 = 0;
        for (int p = from; p < to; p++) {
            v0 += w[p] * (x[p][0] - m0) * (x[p][0] - m0);
            v1 += w[p] * (x[p][1] - m1) * (x[p][1] - m1);
        }
        return new double[] {m0, m1, v0 / sw, v1 / sw};
    }

    /** (mean − truth) / standard error of the mean. */
    static double t(double[] v, double truth) {
        return (dfl.runtime.SampleStats.avg(v) - truth) / Math.sqrt(dfl.runtime.SampleStats.var(v) / v.length);
    }
}
