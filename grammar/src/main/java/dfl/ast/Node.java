package dfl.ast;

import dfl.source.Span;

/** Every AST node knows where it came from. Equality in tests ignores spans: see {@link Spans#strip}. */
public sealed interface Node permits Program, Stmt, Expr, Arg, Ident {
    Span span();
}
