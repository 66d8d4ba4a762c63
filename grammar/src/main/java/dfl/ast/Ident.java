package dfl.ast;

import dfl.source.Span;

/** A name as written in the source (Unicode letters allowed: σ, γ, μ). */
public record Ident(String name, Span span) implements Node {}
