package dfl.compiler.check;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Condition;
import dfl.plan.Density;
import dfl.plan.ModelRef;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.source.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The operators on values: numbers fold, tensors broadcast (constants fold too), densities compose
 * ({@code *} product, {@code ^} power, {@code +} mixture with equal weights).
 */
final class Arithmetic {

    private final Consumer<Diagnostic> report;
    private final ExpansionBudget budget;
    /** Mixtures written with '+': only these flatten, so p + q + r weighs each term 1/3 while mix(...) stays nested. */
    private final Set<Density.Mixture> plusMixtures = Collections.newSetFromMap(new IdentityHashMap<>());

    Arithmetic(Consumer<Diagnostic> report, ExpansionBudget budget) {
        this.report = report;
        this.budget = budget;
    }

    Value negate(Value v, Span span) {
        if (v instanceof Value.Num n) return new Value.Num(-n.value());
        if (v instanceof Value.Tensor t && t.expr() instanceof TensorExpr.Const c) {
            return constant(c.values().stream().mapToDouble(d -> -d).toArray(), t.shape());
        }
        if (v instanceof Value.Tensor t) return expanded(new Value.Tensor(t.shape(), new TensorExpr.Neg(t.expr(), t.shape()), t.dependsOnLatent()), span);
        if (v instanceof Value.Error) return v;
        return fail(Diagnostic.error(Code.E0115, span, "unary minus is not defined for " + v.describe() + ".",
                v instanceof Value.Dens ? "To steer away from a density, use a negative power: p^-0.5." : "Minus applies to numbers and tensors."));
    }

    Value binary(Expr.BinaryOp op, Value l, Value r, Expr.Binary at) {
        if (l instanceof Value.Error || r instanceof Value.Error) return new Value.Error();
        if (l instanceof Value.Dens || r instanceof Value.Dens) return densities(op, l, r, at);
        if (l instanceof Value.Num a && r instanceof Value.Num b) return numbers(op, a.value(), b.value(), at);
        Optional<Value.Tensor> lt = asTensor(l);
        Optional<Value.Tensor> rt = asTensor(r);
        if (lt.isEmpty() || rt.isEmpty()) {
            Value bad = lt.isEmpty() ? l : r;
            Span where = lt.isEmpty() ? at.left().span() : at.right().span();
            return fail(Diagnostic.error(Code.E0115, where,
                    "'" + op.symbol() + "' is not defined for " + bad.describe() + ".", hintFor(bad)));
        }
        return tensors(op, lt.get(), rt.get(), at);
    }

    private static String hintFor(Value bad) {
        if (bad instanceof Value.Model) return "Wrap the model as a prior: diffusion(gmm(...)).";
        if (bad instanceof Value.Func) return "Call the function: G(x).";
        if (bad instanceof Value.Str) return "Strings cannot be used in arithmetic.";
        return "Operators apply to numbers, tensors and densities.";
    }

    private Value numbers(Expr.BinaryOp op, double a, double b, Expr.Binary at) {
        Value v = numbersUnchecked(op, a, b, at);
        if (v instanceof Value.Num n && !Double.isFinite(n.value()) && Double.isFinite(a) && Double.isFinite(b)) {
            return fail(Diagnostic.error(Code.E0113, at.span(), "this arithmetic gives " + Args.fmt(n.value())
                    + " (beyond the largest number, about 1.8e308).", "Rescale the model so that its numbers stay finite."));
        }
        return v;
    }

    private Value numbersUnchecked(Expr.BinaryOp op, double a, double b, Expr.Binary at) {
        return switch (op) {
            case ADD -> new Value.Num(a + b);
            case SUB -> new Value.Num(a - b);
            case MUL -> new Value.Num(a * b);
            case DIV -> b == 0 ? fail(Diagnostic.error(Code.E0113, at.right().span(), "division by zero.")) : new Value.Num(a / b);
            case POW -> new Value.Num(Math.pow(a, b));
            case MATMUL -> fail(Diagnostic.error(Code.E0115, at.span(), "'@' is a matrix product; both sides are numbers here.",
                    "Use '*' to multiply numbers."));
        };
    }

    private static Optional<Value.Tensor> asTensor(Value v) {
        if (v instanceof Value.Tensor t) return Optional.of(t);
        if (v instanceof Value.Num n) return Optional.of(new Value.Tensor(Shape.SCALAR, TensorExpr.Const.scalar(n.value()), false));
        return Optional.empty();
    }

    private Value tensors(Expr.BinaryOp op, Value.Tensor a, Value.Tensor b, Expr.Binary at) {
        boolean latent = a.dependsOnLatent() || b.dependsOnLatent();
        if (a.shape() == null || b.shape() == null) {
            return expanded(new Value.Tensor(null, new TensorExpr.Binary(opOf(op), a.expr(), b.expr(), null), latent), at.span());
        }
        Optional<Shape> shape = op == Expr.BinaryOp.MATMUL ? Shapes.matmul(a.shape(), b.shape()) : Shapes.broadcast(a.shape(), b.shape());
        if (shape.isEmpty()) {
            String rule = op == Expr.BinaryOp.MATMUL
                    ? "'@' needs [m, n] @ [n] or [m, n] @ [n, k]."
                    : "Elementwise '" + op.symbol() + "' needs equal shapes, or dimensions of 1 that stretch (broadcasting).";
            return fail(Diagnostic.error(Code.E0108, at.span(),
                    "shapes " + a.shape() + " and " + b.shape() + " do not fit '" + op.symbol() + "'.", rule));
        }
        if (a.expr() instanceof TensorExpr.Const ca && b.expr() instanceof TensorExpr.Const cb) {
            long n = shape.get().size();
            if (op == Expr.BinaryOp.MATMUL) n = Math.max(n, (long) (Math.min(Long.MAX_VALUE / 2.0, (double) n * ca.shape().dim(ca.shape().rank() - 1))));
            String over = budget.constants(n);
            if (over != null) return fail(Diagnostic.error(Code.E0117, at.span(), over, "Compute large arrays outside the program and load(...) them."));
            return fold(op, ca, cb, shape.get());
        }
        return expanded(new Value.Tensor(shape.get(), new TensorExpr.Binary(opOf(op), a.expr(), b.expr(), shape.get()), latent), at.span());
    }

    /** {@code v}, a new operation on earlier tensor expressions, unless the tree it makes is over the budget (E0117). */
    private Value expanded(Value.Tensor v, Span at) {
        TensorExpr e = v.expr();
        String over = e instanceof TensorExpr.Binary b ? budget.combine(e, b.left(), b.right())
                : e instanceof TensorExpr.Neg g ? budget.combine(e, g.operand()) : null;
        if (over == null) return v;
        return fail(Diagnostic.error(Code.E0117, at, over, "Every use of a binding or function repeats its operations; "
                + "write G(x) with fewer operations."));
    }

    private static Value fold(Expr.BinaryOp op, TensorExpr.Const a, TensorExpr.Const b, Shape out) {
        double[] x = a.values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = b.values().stream().mapToDouble(Double::doubleValue).toArray();
        if (op == Expr.BinaryOp.MATMUL) {
            int m = a.shape().rank() == 2 ? a.shape().dim(0) : 1;
            int n = a.shape().dim(a.shape().rank() - 1);
            int k = b.shape().rank() == 2 ? b.shape().dim(1) : 1;
            double[] r = new double[m * k];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < k; j++) {
                    double s = 0;
                    for (int q = 0; q < n; q++) s += x[i * n + q] * y[q * k + j];
                    r[i * k + j] = s;
                }
            return constant(r, out);
        }
        double[] xb = Shapes.broadcastValues(x, a.shape(), out);
        double[] yb = Shapes.broadcastValues(y, b.shape(), out);
        double[] r = new double[xb.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = switch (op) {
                case ADD -> xb[i] + yb[i];
                case SUB -> xb[i] - yb[i];
                case MUL -> xb[i] * yb[i];
                case DIV -> xb[i] / yb[i];
                case POW -> Math.pow(xb[i], yb[i]);
                case MATMUL -> throw new AssertionError("handled above");
            };
        }
        return constant(r, out);
    }

    static Value.Tensor constant(double[] values, Shape shape) {
        List<Double> vs = new ArrayList<>(values.length);
        for (double v : values) vs.add(v);
        return new Value.Tensor(shape, new TensorExpr.Const(vs, shape), false);
    }

    /**
     * Whether {@code d} is a conditional network's null condition: a negative power of it is classifier-free guidance,
     * {@code cond^w * uncond^(1-w)} with w &gt; 1, not a slip (no W0002).
     */
    private static boolean nullCondition(Density d) {
        return d instanceof Density.Diffusion p && p.model() instanceof ModelRef.Conditional c && c.condition() instanceof Condition.Null;
    }

    private static TensorExpr.Op opOf(Expr.BinaryOp op) {
        return TensorExpr.Op.valueOf(op.name());
    }

    private Value densities(Expr.BinaryOp op, Value l, Value r, Expr.Binary at) {
        if (op == Expr.BinaryOp.POW) {
            if (!(l instanceof Value.Dens base)) {
                return fail(Diagnostic.error(Code.E0115, at.left().span(), "only a density can be raised to a density's power; this is " + l.describe() + "."));
            }
            if (!(r instanceof Value.Num n)) {
                return fail(Diagnostic.error(Code.E0208, at.right().span(),
                        "a power of a density needs a number, but this is " + r.describe() + ".",
                        "Write p^γ with γ a number, e.g. classifier^2.0."));
            }
            if (n.value() <= 0 && !nullCondition(base.density())) {
                report.accept(Diagnostic.warning(Code.W0002, at.right().span(),
                        "power " + Args.fmt(n.value()) + " ≤ 0: this term " + (n.value() == 0 ? "has no effect." : "steers away from its density (negation)."),
                        n.value() == 0 ? "Remove the term, or use a positive power." : "If negation is intended, ignore this warning."));
            }
            return new Value.Dens(new Density.Power(base.density(), n.value(), at.span()), base.shape());
        }
        if (!(l instanceof Value.Dens a) || !(r instanceof Value.Dens b)) {
            Value other = l instanceof Value.Dens ? r : l;
            Span where = l instanceof Value.Dens ? at.right().span() : at.left().span();
            String hint = op == Expr.BinaryOp.MUL ? "To weight a density, raise it to a power: p^γ." : "Densities combine with densities: p * q, p + q, p^γ.";
            return fail(Diagnostic.error(Code.E0115, where,
                    "'" + op.symbol() + "' cannot combine a density with " + other.describe() + ".", hint));
        }
        if (!a.shape().equals(b.shape())) {
            return fail(Diagnostic.error(Code.E0108, at.span(),
                    "these densities are over different shapes: " + a.shape() + " and " + b.shape() + ".",
                    "Composed densities must describe the same latent."));
        }
        return switch (op) {
            case MUL -> new Value.Dens(new Density.Product(flatten(a.density(), b.density(), Density.Product.class), at.span()), a.shape());
            case ADD -> {
                List<Density> parts = flatten(a.density(), b.density(), Density.Mixture.class);
                Density.Mixture mix = new Density.Mixture(parts, Collections.nCopies(parts.size(), 1.0 / parts.size()), at.span());
                plusMixtures.add(mix);
                yield new Value.Dens(mix, a.shape());
            }
            default -> fail(Diagnostic.error(Code.E0115, at.span(),
                    "'" + op.symbol() + "' is not defined for densities.",
                    "Densities compose with '*' (product), '+' (mixture) and '^' (power)."));
        };
    }

    /** Flattens nested products (or equal-weight mixtures made by '+') into one list of terms. */
    private List<Density> flatten(Density a, Density b, Class<?> kind) {
        List<Density> out = new ArrayList<>();
        for (Density d : List.of(a, b)) {
            if (kind == Density.Product.class && d instanceof Density.Product p) out.addAll(p.terms());
            else if (kind == Density.Mixture.class && d instanceof Density.Mixture m && plusMixtures.contains(m)) out.addAll(m.components());
            else out.add(d);
        }
        return out;
    }

    private Value fail(Diagnostic d) {
        report.accept(d);
        return new Value.Error();
    }
}
