package dfl.compiler.check;

import dfl.ast.Stmt;
import dfl.compiler.builtin.Builtin;

/** What a name in the source refers to, decided by the {@link Resolver}. */
sealed interface Ref {

    /** A top-level binding {@code name = value;}. */
    record ToBinding(Stmt.Binding binding) implements Ref {}

    /**
     * A call of a top-level binding, {@code op(x)}: a TorchScript network is an operator, any other value is E0112;
     * {@code rebindsBuiltin} says whether the name was a built-in's before the binding hid it.
     */
    record ToCalledBinding(Stmt.Binding binding, boolean rebindsBuiltin) implements Ref {}

    /** A user function. */
    record ToFunction(Stmt.FunctionDef function) implements Ref {}

    /** Parameter {@code index} of the user function being defined. */
    record ToParam(Stmt.FunctionDef function, int index) implements Ref {}

    /** The latent variable. */
    record ToLatent(String name) implements Ref {}

    /** A built-in. */
    record ToBuiltin(Builtin builtin) implements Ref {}

    /** A bare word inside a sampler call ({@code resample = systematic}): read as a sampler option. */
    record ToOption(String word) implements Ref {}
}
