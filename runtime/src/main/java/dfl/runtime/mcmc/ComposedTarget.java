package dfl.runtime.mcmc;

import dfl.runtime.model.Autograd;
import dfl.runtime.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dfl.diag.Code;
import dfl.plan.Density;
import dfl.plan.SamplerPlan;
import dfl.plan.SamplerSpec;
import dfl.plan.Shape;
import dfl.plan.TargetSpec;
import dfl.plan.TargetSpec.Node;
import dfl.runtime.DflRuntimeException;
import dfl.runtime.gmm.GmmDiffusion;
import dfl.runtime.likelihood.ExprEvaluator;
import dfl.runtime.likelihood.LikelihoodTerm;
import dfl.runtime.model.DiffusionModel;
import dfl.runtime.model.Located;
import dfl.runtime.model.LogDensityFactor;
import dfl.runtime.model.RuntimeProvider;
import dfl.runtime.run.NativeHeapTrim;
import dfl.runtime.schedule.RespacedSchedule;
import dfl.runtime.likelihood.TwistVariances;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan's composed target at every annealing level, over DJL models: π_i(x) = C_i(x) · Π f_j(x̂0(x))^γ_j ·
 * Π p̃_i(y | x), where C_i is the composition tree over the diffusion priors' noised marginals at level i
 * (product: log-densities and scores add; power γ: both scale by γ, γ &lt; 0 is negation; mixture Σ w_k p_k:
 * log-sum-exp of the weighted log-densities, score Σ r_k s_k with responsibilities r_k, which needs energies),
 * factors (a classifier) enter with their exact log-density at Tweedie's x̂0 of the <em>first</em> diffusion
 * prior in the tree (a noise-conditioned factor f_i(x) on x itself at the level's training step), and every observation
 * enters as TDS's twist p̃_i(y | G(x̂0)) (for {@code Normal(G(x), σ)}: N(y; G(x̂0), σ² + extra_i); other families as
 * {@code LikelihoodTerm} inflates them) with the reference inflation extra = s²τ²/(s²+τ²), s² = (1−ᾱ_i)/ᾱ_i, τ² = 0.12.
 * Those factor and likelihood terms form the "exact part": their value is known, their gradient comes from one
 * autograd pass through the first prior's ε̂ (which also gives that prior's score, so it costs no extra call).
 *
 * <p>All priors must share one noise schedule; the levels are its respacing to {@code levels} steps. Every
 * evaluation calls each diffusion prior once on the whole batch, in a sub-manager closed before returning.
 * Mixture weights are exact when the energies are normalised log-densities (gmm priors); for an energy network
 * they are relative to its unknown normaliser.
 *
 * <p>Built from the plan's {@link TargetSpec}, which the runtime trusts: the compiler has rejected mixtures over
 * score-only priors and factors inside mixtures (E0209), priors on different noise schedules (E0211) and compositions
 * without a diffusion prior (E0215).
 */
public final class ComposedTarget implements LogTarget, AutoCloseable {

    private record PoweredFactor(LogDensityFactor factor, double exponent) {}

    private final Node tree;
    private final List<DiffusionModel> models;
    private final List<PoweredFactor> factors;
    private final List<LikelihoodTerm> likelihoods;
    private final RespacedSchedule schedule;
    private final Shape shape;
    private final NDManager base;
    private final boolean treeNeedsLogs;
    private final boolean energies;
    private final ai.djl.ndarray.types.Shape sampleShape;
    private final int d;
    private final ExprEvaluator expressions;

    private ComposedTarget(Node tree, List<DiffusionModel> models, List<PoweredFactor> factors,
            List<LikelihoodTerm> likelihoods, RespacedSchedule schedule, Shape shape, NDManager base, ExprEvaluator expressions) {
        this.tree = tree;
        this.expressions = expressions;
        this.models = models;
        this.factors = factors;
        this.likelihoods = likelihoods;
        this.schedule = schedule;
        this.shape = shape;
        this.base = base;
        this.treeNeedsLogs = tree.hasMixture();
        this.energies = models.stream().allMatch(DiffusionModel::hasEnergy);
        this.sampleShape = ExprEvaluator.toDjl(shape);
        this.d = (int) shape.size();
    }

    /** The target of {@code plan} with {@code plan.sampler().steps()} levels; non-gmm models come from {@code provider}. */
    public static ComposedTarget of(SamplerPlan plan, RuntimeProvider provider, NDManager manager) {
        return of(plan.target(), plan.likelihoods(), plan.latent().shape(), plan.sampler().steps(), provider, manager);
    }

    /** The target of a composition tree with likelihoods, annealed over {@code levels} levels (tests: the tree is folded here). */
    public static ComposedTarget of(Density prior, List<SamplerPlan.Likelihood> likelihoodSpecs, Shape shape, int levels,
            RuntimeProvider provider, NDManager manager) {
        return of(TargetSpec.of(prior), likelihoodSpecs, shape, levels, provider, manager);
    }

    /** The target the compiler decided, with likelihoods, annealed over {@code levels} levels. */
    public static ComposedTarget of(TargetSpec target, List<SamplerPlan.Likelihood> likelihoodSpecs, Shape shape, int levels,
            RuntimeProvider provider, NDManager manager) {
        List<DiffusionModel> models = new ArrayList<>();
        List<PoweredFactor> factors = new ArrayList<>();
        try {
            for (Density.Diffusion dd : target.priors()) models.add(GmmDiffusion.open(dd, shape, provider, manager));
            for (TargetSpec.PoweredFactor f : target.factors()) {
                factors.add(new PoweredFactor(Located.factor(f.term(), shape, provider, manager), f.exponent()));
            }
            ExprEvaluator ev = new ExprEvaluator(provider, models.get(0).dataType());
            List<LikelihoodTerm> likelihoods = new ArrayList<>();
            for (SamplerPlan.Likelihood l : likelihoodSpecs) likelihoods.add(new LikelihoodTerm(l, ev));
            RespacedSchedule schedule = models.get(0).schedule().respace(levels);
            return new ComposedTarget(target.tree(), List.copyOf(models), List.copyOf(factors), List.copyOf(likelihoods), schedule,
                    shape, manager, ev);
        } catch (RuntimeException e) {
            models.forEach(ComposedTarget::closeQuietly);
            factors.forEach(f -> closeQuietly(f.factor()));
            throw e;
        }
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public int levels() {
        return schedule.steps();
    }

    @Override
    public double beta(int level) {
        return schedule.beta(level);
    }

    @Override
    public double alphaBar(int level) {
        return schedule.alphaBar(level);
    }

    @Override
    public int trainStep(int level) {
        return schedule.trainStep(level);
    }

    @Override
    public boolean priorHasEnergy() {
        return energies;
    }

    @Override
    public boolean hasExactPart() {
        return !factors.isEmpty() || !likelihoods.isEmpty();
    }

    /** Number of diffusion priors (model calls per evaluation). */
    public int priors() {
        return models.size();
    }

    @Override
    public Eval evaluate(double[] x, int level, Need need) {
        int k = x.length / d;
        double ab = schedule.alphaBar(level);
        int ts = schedule.trainStep(level);
        boolean wantLogs = need == Need.SCORE_AND_ENERGY || treeNeedsLogs;
        double[][] leafScore = new double[models.size()][];
        double[][] leafLog = new double[models.size()][];
        double[] exactLog = null;
        double[] exactScore = null;
        try (NDManager m = base.newSubManager()) {
            if (need != Need.PRIOR_SCORE && hasExactPart()) {
                DiffusionModel first = models.get(0);
                NDArray xt = create(m, x, k, first.dataType());
                xt.setRequiresGradient(true);
                NDArray eps;
                NDArray obj;
                try (Autograd gc = Autograd.collect()) {
                    eps = first.eps(xt, ts);
                    NDArray x0 = Scalars.div(xt.sub(Scalars.mul(eps, Math.sqrt(1 - ab))), Math.sqrt(ab));
                    obj = exactPart(xt, x0, ts, ab, m, k);
                    gc.backward(obj.sum());
                }
                exactLog = check(toDoubles(obj), level, "the factors' and likelihoods' log-density");
                exactScore = check(toDoubles(xt.getGradient()), level, "the gradient of the factors and likelihoods");
                double[] e = check(toDoubles(eps), level, "the noise prediction of the first prior");
                double c = -1 / Math.sqrt(1 - ab);
                for (int i = 0; i < e.length; i++) e[i] *= c;
                leafScore[0] = e;
            }
            for (int j = 0; j < models.size(); j++) {
                DiffusionModel model = models.get(j);
                NDArray xt = null;
                if (leafScore[j] == null) {
                    xt = create(m, x, k, model.dataType());
                    leafScore[j] = check(toDoubles(model.score(xt, ts)), level, "a prior's score");
                }
                if (wantLogs) {
                    if (xt == null) xt = create(m, x, k, model.dataType());
                    double[] e = toDoubles(model.energy(xt, ts));
                    for (int p = 0; p < k; p++) e[p] = -e[p];
                    leafLog[j] = check(e, level, "a prior's energy");
                }
            }
        } finally {
            NativeHeapTrim.shared().afterStep();  // the evaluation's buffers are freed: give their pages back
        }
        double[][] combined = combine(tree, leafScore, leafLog, wantLogs, k);
        double[] priorScore = combined[0];
        if (need == Need.PRIOR_SCORE) return new Eval(null, priorScore, null, null);
        double[] score = priorScore;
        if (exactScore != null) {
            score = priorScore.clone();
            for (int i = 0; i < score.length; i++) score[i] += exactScore[i];
        }
        return new Eval(score, priorScore, exactLog == null ? new double[k] : exactLog,
                need == Need.SCORE_AND_ENERGY ? combined[1] : null);
    }

    /** Σ γ log f(x̂0) (noise-conditioned factors: γ log f_t(x_t)) + Σ log p̃(y | G(x̂0)) at inflation extra, shape [K]. */
    private NDArray exactPart(NDArray xt, NDArray x0, int trainStep, double ab, NDManager m, int k) {
        NDArray total = null;
        double extra = TwistVariances.extra(SamplerSpec.TwistVariance.REFERENCE, ab);
        for (LikelihoodTerm l : likelihoods) {
            NDArray t = l.logDensity(x0, extra, m);
            total = total == null ? t : total.add(t);
        }
        for (PoweredFactor f : factors) {
            NDArray t = LogDensityFactor.powered(f.factor(), f.exponent(), xt, x0, trainStep);
            total = total == null ? t : total.add(t);
        }
        return total == null ? m.zeros(new ai.djl.ndarray.types.Shape(k), x0.getDataType()) : total;
    }

    /** {score [K·d], log [K] or null} of a tree node from the leaves' values, in plain Java. */
    private double[][] combine(Node n, double[][] leafScore, double[][] leafLog, boolean logs, int k) {
        if (n instanceof Node.Leaf l) {
            return new double[][] {leafScore[l.prior()], logs ? leafLog[l.prior()] : null};
        }
        if (n instanceof Node.Pow p) {
            double[][] b = combine(p.base(), leafScore, leafLog, logs, k);
            return new double[][] {scaled(b[0], p.exponent()), b[1] == null ? null : scaled(b[1], p.exponent())};
        }
        if (n instanceof Node.Prod p) {
            double[] s = new double[k * d];
            double[] l = logs ? new double[k] : null;
            for (Node t : p.terms()) {
                double[][] c = combine(t, leafScore, leafLog, logs, k);
                for (int i = 0; i < s.length; i++) s[i] += c[0][i];
                if (logs) for (int i = 0; i < k; i++) l[i] += c[1][i];
            }
            return new double[][] {s, l};
        }
        Node.Mix mix = (Node.Mix) n;
        int c = mix.components().size();
        double[][][] parts = new double[c][][];
        for (int j = 0; j < c; j++) parts[j] = combine(mix.components().get(j), leafScore, leafLog, true, k);
        double[] s = new double[k * d];
        double[] l = new double[k];
        double[] terms = new double[c];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < c; j++) terms[j] = mix.logWeights().get(j) + parts[j][1][p];
            double lse = dfl.runtime.smc.LogSumExp.of(terms);
            l[p] = lse;
            for (int j = 0; j < c; j++) {
                double r = Math.exp(terms[j] - lse);
                if (r == 0) continue;
                for (int i = p * d; i < (p + 1) * d; i++) s[i] += r * parts[j][0][i];
            }
        }
        return new double[][] {s, l};
    }

    private static double[] scaled(double[] a, double g) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = g * a[i];
        return out;
    }

    private NDArray create(NDManager m, double[] x, int k, DataType type) {
        long[] dims = new long[sampleShape.dimension() + 1];
        dims[0] = k;
        for (int i = 0; i < sampleShape.dimension(); i++) dims[i + 1] = sampleShape.get(i);
        ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(dims);
        if (type == DataType.FLOAT64) return m.create(x, s);
        float[] f = new float[x.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) x[i];
        NDArray a = m.create(f, s);
        return type == DataType.FLOAT32 ? a : a.toType(type, false);
    }

    private static double[] toDoubles(NDArray a) {
        return a.getDataType() == DataType.FLOAT64 ? a.toDoubleArray() : a.toType(DataType.FLOAT64, false).toDoubleArray();
    }

    private static double[] check(double[] v, int level, String what) {
        for (double a : v) {
            if (Double.isNaN(a) || a == Double.POSITIVE_INFINITY) {
                throw new DflRuntimeException(Code.E0303, "numerical failure at annealing level " + level + ": " + what
                        + " is " + (Double.isNaN(a) ? "NaN" : "+infinity") + "; check the model, or use more levels");
            }
        }
        return v;
    }

    @Override
    public void close() {
        factors.forEach(f -> closeQuietly(f.factor()));
        models.forEach(ComposedTarget::closeQuietly);
        expressions.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing a native model must not mask the run's outcome
        }
    }
}
