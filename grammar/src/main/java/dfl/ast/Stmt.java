package dfl.ast;

import dfl.source.Span;
import java.util.List;
import java.util.Optional;

/** A statement; every statement ends with {@code ;}. */
public sealed interface Stmt extends Node {

    /** {@code name = value;} */
    record Binding(Ident name, Expr value, Span span) implements Stmt {}

    /** {@code G(x, y) = body;} a user function. */
    record FunctionDef(Ident name, List<Ident> params, Expr body, Span span) implements Stmt {
        public FunctionDef {
            params = List.copyOf(params);
        }
    }

    /** {@code x ~ prior;} declares the latent variable and its prior. */
    record Latent(Ident name, Expr prior, Span span) implements Stmt {}

    /** {@code observe data ~ distribution;} adds a likelihood factor. */
    record Observe(Expr data, Expr distribution, Span span) implements Stmt {}

    /** {@code compose expr;} sets the prior part of the target. */
    record Compose(Expr target, Span span) implements Stmt {}

    /** {@code sample x [with SAMPLER(...)] [into "dir"];} runs inference. */
    record Sample(Ident latent, Optional<Expr.Call> sampler, Optional<Expr.Str> into, Span span) implements Stmt {}
}
