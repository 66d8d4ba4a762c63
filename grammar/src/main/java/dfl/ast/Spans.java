package dfl.ast;

import dfl.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Span utilities for syntax trees. */
public final class Spans {
    private Spans() {}

    /**
     * The same tree with every span replaced by {@link Span#NONE}, so that two trees can be compared
     * with {@code equals} regardless of where they came from.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Node> T strip(T node) {
        return (T) stripNode(node);
    }

    private static Node stripNode(Node node) {
        if (node instanceof Program p) return new Program(map(p.statements(), Spans::stripStmt), Span.NONE);
        if (node instanceof Stmt s) return stripStmt(s);
        if (node instanceof Expr e) return stripExpr(e);
        if (node instanceof Arg a) return stripArg(a);
        return stripIdent((Ident) node);
    }

    private static Stmt stripStmt(Stmt s) {
        if (s instanceof Stmt.Binding b) return new Stmt.Binding(stripIdent(b.name()), stripExpr(b.value()), Span.NONE);
        if (s instanceof Stmt.FunctionDef f) {
            return new Stmt.FunctionDef(stripIdent(f.name()), map(f.params(), Spans::stripIdent), stripExpr(f.body()), Span.NONE);
        }
        if (s instanceof Stmt.Latent l) return new Stmt.Latent(stripIdent(l.name()), stripExpr(l.prior()), Span.NONE);
        if (s instanceof Stmt.Observe o) return new Stmt.Observe(stripExpr(o.data()), stripExpr(o.distribution()), Span.NONE);
        if (s instanceof Stmt.Compose c) return new Stmt.Compose(stripExpr(c.target()), Span.NONE);
        Stmt.Sample sm = (Stmt.Sample) s;
        return new Stmt.Sample(stripIdent(sm.latent()), sm.sampler().map(c -> (Expr.Call) stripExpr(c)),
                sm.into().map(i -> (Expr.Str) stripExpr(i)), Span.NONE);
    }

    private static Expr stripExpr(Expr e) {
        if (e instanceof Expr.Num n) return new Expr.Num(n.value(), Span.NONE);
        if (e instanceof Expr.Str s) return new Expr.Str(s.value(), Span.NONE);
        if (e instanceof Expr.Vector v) return new Expr.Vector(map(v.elements(), Spans::stripExpr), Span.NONE);
        if (e instanceof Expr.Var v) return new Expr.Var(v.name(), Span.NONE);
        if (e instanceof Expr.Call c) return new Expr.Call(stripIdent(c.callee()), map(c.args(), Spans::stripArg), Span.NONE);
        if (e instanceof Expr.Binary b) return new Expr.Binary(b.op(), stripExpr(b.left()), stripExpr(b.right()), Span.NONE);
        return new Expr.Neg(stripExpr(((Expr.Neg) e).operand()), Span.NONE);
    }

    private static Arg stripArg(Arg a) {
        Optional<Ident> name = a.name().map(Spans::stripIdent);
        return new Arg(name, stripExpr(a.value()), Span.NONE);
    }

    private static Ident stripIdent(Ident i) {
        return new Ident(i.name(), Span.NONE);
    }

    private static <A, B> List<B> map(List<A> xs, java.util.function.Function<A, B> f) {
        List<B> out = new ArrayList<>(xs.size());
        for (A x : xs) out.add(f.apply(x));
        return out;
    }
}
