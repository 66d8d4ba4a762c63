package dfl.compiler.builtin;

import dfl.ast.Expr;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;

/** What a built-in may ask of the checker while it evaluates a call. */
public interface EvalContext {

    /** The value of an argument expression (evaluated once; errors are reported by the checker). */
    Value eval(Expr expr);

    /** Reports a diagnostic. */
    void report(Diagnostic diagnostic);
}
