package dfl.compiler.builtin;

import dfl.ast.Expr;
import dfl.compiler.value.Value;

/**
 * A built-in function of the language ({@code diffusion}, {@code gmm}, {@code mask}, ...). Built-ins
 * run at compile time on {@link Value}s: they check their arguments, report diagnostics through the
 * {@link Args} they are given, and describe their result; they never read files or run user code.
 */
public interface Builtin {

    /** The name users call it by. */
    String name();

    /** The declared parameters, used to bind arguments and for "did you mean" on names. */
    Signature signature();

    /** One sentence for {@code docs/language.md}, {@code :help} and completion. */
    String summary();

    /**
     * The value of a call. Arguments have been bound to {@link #signature()}; missing required ones
     * were reported already. Return {@link Value.Error} after reporting a problem.
     */
    Value apply(Expr.Call call, Args args);
}
