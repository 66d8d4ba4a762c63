package dfl.compiler.check;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Stmt;
import dfl.compiler.builtin.EvalContext;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.plan.TorchScriptOperator;
import java.util.List;

/**
 * Calls of bound values: a TorchScript network bound to a name is a user operator, {@code op = torchscript("op.pt");
 * G(x) = op(x);}. The call takes one tensor of the declared input {@code shape} (any shape when none is declared) and
 * gives a tensor of {@code out_shape} (default: the input's shape), so the expressions around it are shape-checked at
 * compile time; a call of any other value is E0112.
 */
final class Operators {

    private Operators() {}

    static Value call(Ref.ToCalledBinding ref, Value callee, Expr.Call c, EvalContext ctx) {
        String name = c.callee().name();
        Stmt.Binding binding = ref.binding();
        if (callee instanceof Value.Error) {
            c.args().forEach(a -> ctx.eval(a.value()));
            return callee;
        }
        if (!(callee instanceof Value.Network net)) {
            ctx.report(Diagnostic.error(Code.E0112, c.callee().span(),
                    "'" + name + "' is a value bound at line " + binding.span().startLine() + ", not a function.",
                    ref.rebindsBuiltin() ? "'" + name + "' names a built-in function, but line " + binding.span().startLine() + " rebound it to a value."
                            : "Only functions and TorchScript networks (op = torchscript(\"op.pt\"); then op(x)) can be called."));
            return new Value.Error();
        }
        if (c.args().size() != 1 || c.args().get(0).name().isPresent()) {
            Arg bad = c.args().isEmpty() ? null : c.args().get(c.args().size() > 1 ? 1 : 0);
            ctx.report(Diagnostic.error(Code.E0104, bad == null ? c.span() : bad.span(),
                    "the operator '" + name + "' takes one positional argument, its input tensor.", "Write " + name + "(x)."));
            return new Value.Error();
        }
        Expr argExpr = c.args().get(0).value();
        Value arg = ctx.eval(argExpr);
        if (arg instanceof Value.Error) return arg;
        if (!(arg instanceof Value.Tensor t) || t.shape() == null) {
            ctx.report(Diagnostic.error(Code.E0107, argExpr.span(), "the operator '" + name + "' takes a tensor of known shape, but this is "
                    + arg.describe() + "."));
            return new Value.Error();
        }
        if (net.shape() != null && !net.shape().equals(t.shape())) {
            ctx.report(Diagnostic.error(Code.E0108, argExpr.span(), "the operator '" + name + "' takes " + net.shape()
                    + " (its torchscript(..., shape = " + net.shape() + ")), but this is " + t.shape() + "."));
            return new Value.Error();
        }
        Shape out = net.outShape() != null ? net.outShape() : t.shape();
        TorchScriptOperator options = new TorchScriptOperator(net.path(), t.shape(), out, c.span());
        return new Value.Tensor(out, new TensorExpr.Builtin(TorchScriptOperator.NAME, List.of(t.expr()), options, out), t.dependsOnLatent());
    }
}
