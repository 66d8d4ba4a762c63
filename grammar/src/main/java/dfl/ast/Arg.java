package dfl.ast;

import dfl.source.Span;
import java.util.Optional;

/** A call argument, positional ({@code name} empty) or named ({@code label = value}). */
public record Arg(Optional<Ident> name, Expr value, Span span) implements Node {}
