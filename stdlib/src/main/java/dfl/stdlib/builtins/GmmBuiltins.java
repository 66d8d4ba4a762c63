package dfl.stdlib.builtins;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.value.Value;
import dfl.plan.ModelRef;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** {@code gmm(...)} and {@code ring(...)}: exact Gaussian-mixture models, checked at compile time. */
final class GmmBuiltins {

    private GmmBuiltins() {}

    /** Compile-time budget for an exact mixture's covariances: k·d² doubles (2^25 = 256 MB). */
    static final long MAX_COVARIANCE_ENTRIES = 1L << 25;
    /** Compile-time budget for {@code ring(n, ...)}: a mixture of more components than this is not an exact-answer toy. */
    static final int MAX_RING_POINTS = 10_000;

    static Value gmm(Expr.Call call, Args args) {
        Optional<Value.Tensor> means = args.tensor("means");
        if (means.isEmpty()) return new Value.Error();
        Value.Tensor m = means.get();
        if (!(m.expr() instanceof TensorExpr.Const mc) || m.shape().rank() != 2) {
            args.invalid("means", "'means' must be a [k, d] matrix of numbers, one row per component" + (m.shape() != null ? ", got " + m.shape() : "") + ".",
                    "A single 2-D component: means = [[0, 0]].");
            return new Value.Error();
        }
        int k = m.shape().dim(0);
        int d = m.shape().dim(1);
        if ((double) k * d * d > MAX_COVARIANCE_ENTRIES) {
            args.invalid("means", "an exact Gaussian mixture of " + k + " components in " + d + " dimensions needs "
                    + String.format(java.util.Locale.ROOT, "%.3g", (double) k * d * d) + " covariance entries (k·d²); the limit is "
                    + MAX_COVARIANCE_ENTRIES + " (256 MB).", "Use fewer dimensions or components, or a diffusion network for high-dimensional data.");
            return new Value.Error();
        }
        List<List<Double>> meanRows = new ArrayList<>();
        for (int i = 0; i < k; i++) meanRows.add(mc.values().subList(i * d, (i + 1) * d));
        List<Double> weights = weights(args, k);
        List<List<List<Double>>> covs = covariances(args, k, d);
        if (weights == null || covs == null || args.failed()) return new Value.Error();
        return new Value.Model(new ModelRef.Gmm(weights, meanRows, covs), Shape.of(d));
    }

    /** Normalised mixture weights from the {@code weights} argument (default equal). Null after an error. */
    static List<Double> weights(Args args, int k) {
        if (!args.has("weights")) return Collections.nCopies(k, 1.0 / k);
        Optional<Value.Tensor> w = args.tensor("weights");
        if (w.isEmpty()) return null;
        if (!(w.get().expr() instanceof TensorExpr.Const c) || w.get().shape().rank() != 1 || w.get().shape().dim(0) != k) {
            args.invalid("weights", "'weights' must be a vector of " + k + " numbers, one per component" + (w.get().shape() != null ? ", got " + w.get().shape() : "") + ".");
            return null;
        }
        double sum = 0;
        for (double v : c.values()) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                args.invalid("weights", "weights must be non-negative and finite, got " + Args.fmt(v) + ".");
                return null;
            }
            sum += v;
        }
        if (sum <= 0) {
            args.invalid("weights", "the weights sum to zero.");
            return null;
        }
        List<Double> out = new ArrayList<>();
        for (double v : c.values()) out.add(v / sum);
        return out;
    }

    private static List<List<List<Double>>> covariances(Args args, int k, int d) {
        boolean hasStd = args.has("std");
        boolean hasCovs = args.has("covs");
        if (hasStd == hasCovs) {
            args.invalid(hasStd ? "covs" : "means", hasStd ? "give either 'std' or 'covs', not both." : "gmm(...) needs 'std' (isotropic) or 'covs' (full covariances).",
                    "Example: gmm(means = [[0, 0]], std = 0.5).");
            return null;
        }
        List<List<List<Double>>> out = new ArrayList<>();
        if (hasStd) {
            Optional<Value> v = args.value("std");
            double[] stds = new double[k];
            if (v.isPresent() && v.get() instanceof Value.Num n) {
                java.util.Arrays.fill(stds, n.value());
            } else if (v.isPresent() && v.get() instanceof Value.Tensor t && t.expr() instanceof TensorExpr.Const c
                    && t.shape().rank() == 1 && t.shape().dim(0) == k) {
                for (int i = 0; i < k; i++) stds[i] = c.values().get(i);
            } else {
                if (v.isPresent() && !(v.get() instanceof Value.Error)) args.invalid("std", "'std' must be a number or a vector of " + k + " numbers.");
                return null;
            }
            for (double s : stds) {
                if (!(s > 0) || Double.isInfinite(s)) {
                    args.invalid("std", "standard deviations must be positive, got " + Args.fmt(s) + ".");
                    return null;
                }
            }
            for (int i = 0; i < k; i++) out.add(isotropic(d, stds[i] * stds[i]));
            return out;
        }
        Optional<Value.Tensor> c = args.tensor("covs");
        if (c.isEmpty()) return null;
        Shape want = Shape.of(k, d, d);
        if (!(c.get().expr() instanceof TensorExpr.Const cc) || !want.equals(c.get().shape())) {
            args.invalid("covs", "'covs' must be a " + want + " tensor: one d×d covariance per component" + (c.get().shape() != null ? ", got " + c.get().shape() : "") + ".");
            return null;
        }
        for (int i = 0; i < k; i++) {
            List<List<Double>> rows = new ArrayList<>();
            for (int r = 0; r < d; r++) rows.add(cc.values().subList(i * d * d + r * d, i * d * d + (r + 1) * d));
            String problem = positiveDefinite(rows);
            if (problem != null) {
                args.invalid("covs", "covariance " + (i + 1) + " " + problem + ".", "A covariance must be symmetric and positive definite.");
                return null;
            }
            out.add(rows);
        }
        return out;
    }

    private static List<List<Double>> isotropic(int d, double var) {
        List<List<Double>> rows = new ArrayList<>();
        for (int r = 0; r < d; r++) {
            List<Double> row = new ArrayList<>(Collections.nCopies(d, 0.0));
            row.set(r, var);
            rows.add(row);
        }
        return rows;
    }

    /** Null when symmetric positive definite (Cholesky succeeds), else what is wrong. */
    static String positiveDefinite(List<List<Double>> a) {
        int d = a.size();
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
                if (Math.abs(a.get(i).get(j) - a.get(j).get(i)) > 1e-9 * (1 + Math.abs(a.get(i).get(j)))) return "is not symmetric";
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a.get(i).get(j);
                for (int q = 0; q < j; q++) s -= l[i][q] * l[j][q];
                if (i == j) {
                    if (!(s > 0)) return "is not positive definite";
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return null;
    }

    static Value ring(Expr.Call call, Args args) {
        int n = args.integer("n", 0, 1);
        double r = args.positive("radius", 1.0);
        if (!args.failed() && n > MAX_RING_POINTS) {
            args.invalid("n", "ring(...) makes at most " + MAX_RING_POINTS + " points, got " + n + ".");
        }
        if (args.failed() || n < 1) return new Value.Error();
        double[] pts = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            pts[2 * i] = r * Math.cos(a);
            pts[2 * i + 1] = r * Math.sin(a);
        }
        List<Double> vs = new ArrayList<>();
        for (double p : pts) vs.add(p);
        Shape s = Shape.of(n, 2);
        return new Value.Tensor(s, new TensorExpr.Const(vs, s), false);
    }
}
