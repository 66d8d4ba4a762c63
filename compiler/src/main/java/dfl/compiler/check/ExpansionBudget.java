package dfl.compiler.check;

import dfl.plan.TensorExpr;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bounds the work and memory that checking one program may take, so that a small program cannot make the compiler run
 * for minutes or exhaust memory (issue 15, item 5). Three budgets, each reported once as
 * {@link dfl.diag.Code#E0117} naming the limit:
 * <ul>
 *   <li>{@link #MAX_EVALUATIONS} expression evaluations: user functions are inlined at every call, so
 *       {@code F1(a) = F0(a) + F0(a); F2(a) = F1(a) + F1(a); ...} doubles the work per level;
 *   <li>{@link #MAX_OPERATIONS} operations in one tensor expression, counted as a tree (a binding used twice counts
 *       twice), since the sampler evaluates that tree at every step for every particle;
 *   <li>{@link #MAX_CONSTANT_VALUES} values in the constants the program builds (vector literals, folded arithmetic
 *       such as a broadcast {@code [n, 1] + [1, n]}), summed over the program.
 * </ul>
 * Ordinary programs use a few hundred evaluations and values; the limits are orders of magnitude above that.
 */
final class ExpansionBudget {

    /** Expression evaluations per program. */
    static final long MAX_EVALUATIONS = 200_000;
    /** Operations in one tensor expression (tree size). */
    static final long MAX_OPERATIONS = 10_000;
    /** Constant values built per program (1,048,576, e.g. a 1024 × 1024 matrix; a 784 × 784 one fits). */
    static final long MAX_CONSTANT_VALUES = 1L << 20;

    private long evaluations;
    private long constantValues;
    private boolean exhausted;
    private final Map<TensorExpr, Long> sizes = new IdentityHashMap<>();

    /** Whether a budget ran out: every later evaluation gives an error value without work (the error is reported once). */
    boolean exhausted() {
        return exhausted;
    }

    /** Counts one evaluation; the message when this one exceeds the budget, else null. */
    String evaluate() {
        if (++evaluations <= MAX_EVALUATIONS) return null;
        exhausted = true;
        return "checking this program takes more than " + fmt(MAX_EVALUATIONS) + " expression evaluations (user functions are "
                + "expanded at every call, so a function that calls another twice doubles the work at each level); "
                + "the limit is " + fmt(MAX_EVALUATIONS) + ".";
    }

    /** The message when a tensor expression of these operands and one more operation exceeds the budget, else null. */
    String combine(TensorExpr result, TensorExpr... operands) {
        long n = 1;
        for (TensorExpr o : operands) n = Math.min(Long.MAX_VALUE / 4, n + size(o));
        sizes.put(result, n);
        if (n <= MAX_OPERATIONS) return null;
        exhausted = true;
        return "this expression expands to " + fmt(n) + " tensor operations (bindings and function calls substituted), which "
                + "the sampler would evaluate at every step; the limit is " + fmt(MAX_OPERATIONS) + " operations.";
    }

    /** Counts {@code n} new constant values; the message when they exceed the budget, else null. */
    String constants(long n) {
        constantValues = n > MAX_CONSTANT_VALUES ? n : constantValues + n;
        if (constantValues <= MAX_CONSTANT_VALUES) return null;
        exhausted = true;
        return "this program builds more than " + fmt(MAX_CONSTANT_VALUES) + " constant values" + (n > MAX_CONSTANT_VALUES
                ? " (this one alone has " + fmt(n) + ")" : "") + "; the limit is " + fmt(MAX_CONSTANT_VALUES) + ".";
    }

    /** The operations in {@code e} counted as a tree; memoised, so a shared sub-expression is measured once. */
    private long size(TensorExpr e) {
        Long known = sizes.get(e);
        if (known != null) return known;
        long n = 1;
        if (e instanceof TensorExpr.Binary b) n += size(b.left()) + size(b.right());
        else if (e instanceof TensorExpr.Neg g) n += size(g.operand());
        else if (e instanceof TensorExpr.Builtin b) for (TensorExpr a : b.args()) n += size(a);
        n = Math.min(Long.MAX_VALUE / 4, n);
        sizes.put(e, n);
        return n;
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
