package dfl.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.ast.Program;
import dfl.ast.Spans;
import dfl.diag.DiagnosticRenderer;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;
import java.util.Optional;

/** Span-free tree builders and parse helpers for tests. */
final class Trees {
    private Trees() {}

    static Program parse(String text) {
        SourceFile src = new SourceFile("test.dfl", text);
        ParseResult r = Parse.program(src);
        assertTrue(r.diagnostics().isEmpty(), () -> DiagnosticRenderer.renderAll(src, r.diagnostics()));
        return r.program().orElseThrow();
    }

    static Expr parseExpr(String text) {
        SourceFile src = new SourceFile("test.dfl", text);
        ExpressionResult r = Parse.expression(src);
        assertTrue(r.diagnostics().isEmpty(), () -> DiagnosticRenderer.renderAll(src, r.diagnostics()));
        return r.expression().orElseThrow();
    }

    static void assertExpr(Expr expected, String text) {
        assertEquals(expected, Spans.strip(parseExpr(text)), text);
    }

    static Expr num(double v) {
        return new Expr.Num(v, Span.NONE);
    }

    static Expr str(String s) {
        return new Expr.Str(s, Span.NONE);
    }

    static Expr var(String n) {
        return new Expr.Var(n, Span.NONE);
    }

    static Ident id(String n) {
        return new Ident(n, Span.NONE);
    }

    static Expr neg(Expr e) {
        return new Expr.Neg(e, Span.NONE);
    }

    static Expr bin(Expr.BinaryOp op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r, Span.NONE);
    }

    static Expr vec(Expr... es) {
        return new Expr.Vector(List.of(es), Span.NONE);
    }

    static Expr.Call call(String f, Arg... args) {
        return new Expr.Call(id(f), List.of(args), Span.NONE);
    }

    static Arg pos(Expr e) {
        return new Arg(Optional.empty(), e, Span.NONE);
    }

    static Arg named(String n, Expr e) {
        return new Arg(Optional.of(id(n)), e, Span.NONE);
    }
}
