package dfl.compiler.check;

import dfl.ast.Expr;
import dfl.compiler.builtin.EvalContext;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import java.util.ArrayList;
import java.util.List;

/** Vector and matrix literals: {@code [1, 2]} is a [2] tensor, {@code [[1, 0], [0, 1]]} a [2, 2] one. */
final class Literals {

    private Literals() {}

    static Value vector(Expr.Vector vec, EvalContext ctx, ExpansionBudget budget) {
        if (vec.elements().isEmpty()) {
            ctx.report(Diagnostic.error(Code.E0114, vec.span(), "an empty vector has no shape.", "Write at least one element."));
            return new Value.Error();
        }
        List<Double> values = new ArrayList<>();
        Shape inner = null;
        boolean failed = false;
        for (Expr e : vec.elements()) {
            Value v = ctx.eval(e);
            Shape s;
            List<Double> vs;
            if (v instanceof Value.Num n) {
                s = Shape.SCALAR;
                vs = List.of(n.value());
            } else if (v instanceof Value.Tensor t && t.expr() instanceof TensorExpr.Const c) {
                s = c.shape();
                vs = c.values();
            } else {
                if (!(v instanceof Value.Error)) {
                    ctx.report(Diagnostic.error(Code.E0107, e.span(),
                            "elements of a vector literal must be numbers or vectors of numbers, but this is " + v.describe() + "."));
                }
                failed = true;
                continue;
            }
            if (inner == null) {
                inner = s;
            } else if (!inner.equals(s)) {
                ctx.report(Diagnostic.error(Code.E0114, e.span(),
                        "this element has shape " + s + " but the first has shape " + inner + "; rows of a matrix must have equal length."));
                failed = true;
                continue;
            }
            String over = budget.constants(vs.size());
            if (over != null) {
                ctx.report(Diagnostic.error(Code.E0117, vec.span(), over, "Compute large arrays outside the program and load(...) them."));
                return new Value.Error();
            }
            values.addAll(vs);
        }
        if (failed || inner == null) return new Value.Error();
        List<Integer> dims = new ArrayList<>();
        dims.add(vec.elements().size());
        dims.addAll(inner.dims());
        Shape shape = new Shape(dims);
        return new Value.Tensor(shape, new TensorExpr.Const(values, shape), false);
    }
}
