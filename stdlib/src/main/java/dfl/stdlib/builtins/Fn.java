package dfl.stdlib.builtins;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import java.util.function.BiFunction;

/** A built-in defined by a signature, a one-line summary and a function: most built-ins are one lambda. */
record Fn(String name, Signature signature, String summary, BiFunction<Expr.Call, Args, Value> body) implements Builtin {

    @Override
    public Value apply(Expr.Call call, Args args) {
        return body.apply(call, args);
    }
}
