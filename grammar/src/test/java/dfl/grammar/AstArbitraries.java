package dfl.grammar;

import dfl.ast.Arg;
import dfl.ast.Expr;
import dfl.ast.Ident;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.source.Span;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of span-free syntax trees in the parser's image (negative numbers are negations). */
final class AstArbitraries {
    private AstArbitraries() {}

    private static final String START = "abcxyzABGMσγμαβλ_ñé変";
    private static final String CONT = START + "0123456789₁₂";

    static Arbitrary<String> names() {
        Arbitrary<Character> first = Arbitraries.of(START.chars().mapToObj(c -> (char) c).toArray(Character[]::new));
        Arbitrary<String> rest = Arbitraries.strings().withChars(CONT.toCharArray()).ofMaxLength(4);
        return Combinators.combine(first, rest).as((f, r) -> f + r).filter(n -> !Parse.KEYWORDS.contains(n));
    }

    static Arbitrary<Double> numbers() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(0, 1000).map(i -> (double) i)),
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(0, 10).ofScale(3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().filter(Double::isFinite).map(Math::abs)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.1, 1e-4, 1.0 / 3, 1e15, 1e20, 4.9e-324, Double.MAX_VALUE, 123456789.125)));
    }

    static Arbitrary<String> stringValues() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', '\r', '"', '\\', 'σ', 'é', '変').ofMaxLength(8);
    }

    static Arbitrary<Expr> exprs(int depth) {
        Arbitrary<Expr> atom = Arbitraries.oneOf(
                numbers().map(v -> new Expr.Num(v, Span.NONE)),
                stringValues().map(s -> new Expr.Str(s, Span.NONE)),
                names().map(n -> new Expr.Var(n, Span.NONE)));
        if (depth == 0) return atom;
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> exprs(depth - 1));
        Arbitrary<Expr> binary = Combinators.combine(Arbitraries.of(Expr.BinaryOp.class), sub, sub)
                .as((op, l, r) -> new Expr.Binary(op, l, r, Span.NONE));
        Arbitrary<Expr> neg = sub.map(e -> new Expr.Neg(e, Span.NONE));
        Arbitrary<Expr> vector = sub.list().ofMaxSize(3).map(es -> new Expr.Vector(es, Span.NONE));
        Arbitrary<Expr> call = calls(sub).map(c -> c);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, atom), net.jqwik.api.Tuple.of(4, binary), net.jqwik.api.Tuple.of(2, neg),
                net.jqwik.api.Tuple.of(1, vector), net.jqwik.api.Tuple.of(2, call));
    }

    static Arbitrary<Expr.Call> calls(Arbitrary<Expr> values) {
        Arbitrary<Arg> arg = Combinators.combine(names().optional(0.4), values)
                .as((n, v) -> new Arg(n.map(x -> new Ident(x, Span.NONE)), v, Span.NONE));
        return Combinators.combine(names(), arg.list().ofMaxSize(3))
                .as((f, args) -> new Expr.Call(new Ident(f, Span.NONE), args, Span.NONE));
    }

    static Arbitrary<Stmt> statements() {
        Arbitrary<Expr> e = exprs(3);
        Arbitrary<Ident> ident = names().map(n -> new Ident(n, Span.NONE));
        return Arbitraries.oneOf(
                Combinators.combine(ident, e).as((n, v) -> new Stmt.Binding(n, v, Span.NONE)),
                Combinators.combine(ident, ident.list().ofMaxSize(3), e).as((n, ps, b) -> new Stmt.FunctionDef(n, ps, b, Span.NONE)),
                Combinators.combine(ident, e).as((n, p) -> new Stmt.Latent(n, p, Span.NONE)),
                Combinators.combine(e, e).as((d, p) -> new Stmt.Observe(d, p, Span.NONE)),
                e.map(t -> new Stmt.Compose(t, Span.NONE)),
                Combinators.combine(ident, calls(exprs(2)).optional(0.6),
                                stringValues().map(s -> new Expr.Str(s, Span.NONE)).optional(0.4))
                        .as((n, c, i) -> new Stmt.Sample(n, c, i, Span.NONE)));
    }

    static Arbitrary<Program> programs() {
        return statements().list().ofMaxSize(6).map(ss -> new Program(ss, Span.NONE));
    }
}
