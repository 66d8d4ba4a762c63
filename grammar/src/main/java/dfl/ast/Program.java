package dfl.ast;

import dfl.source.Span;
import java.util.List;

/** A whole DFL file: its statements in order. */
public record Program(List<Stmt> statements, Span span) implements Node {
    public Program {
        statements = List.copyOf(statements);
    }
}
