package dfl.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dfl.grammar.Parse;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrinterTest {

    private static Expr v(String n) {
        return new Expr.Var(n, Span.NONE);
    }

    private static Expr n(double x) {
        return new Expr.Num(x, Span.NONE);
    }

    private static Expr b(Expr.BinaryOp op, Expr l, Expr r) {
        return new Expr.Binary(op, l, r, Span.NONE);
    }

    private static Expr neg(Expr e) {
        return new Expr.Neg(e, Span.NONE);
    }

    @Test
    void minimalParentheses() {
        assertEquals("a - (b - c)", Printer.print(b(Expr.BinaryOp.SUB, v("a"), b(Expr.BinaryOp.SUB, v("b"), v("c")))));
        assertEquals("a - b - c", Printer.print(b(Expr.BinaryOp.SUB, b(Expr.BinaryOp.SUB, v("a"), v("b")), v("c"))));
        assertEquals("a^b^c", Printer.print(b(Expr.BinaryOp.POW, v("a"), b(Expr.BinaryOp.POW, v("b"), v("c")))));
        assertEquals("(a^b)^c", Printer.print(b(Expr.BinaryOp.POW, b(Expr.BinaryOp.POW, v("a"), v("b")), v("c"))));
        assertEquals("-x^2", Printer.print(neg(b(Expr.BinaryOp.POW, v("x"), n(2)))));
        assertEquals("(-x)^2", Printer.print(b(Expr.BinaryOp.POW, neg(v("x")), n(2))));
        assertEquals("q^-0.3", Printer.print(b(Expr.BinaryOp.POW, v("q"), neg(n(0.3)))));
        assertEquals("p^1.3 * q^-0.3", Printer.print(b(Expr.BinaryOp.MUL, b(Expr.BinaryOp.POW, v("p"), n(1.3)),
                b(Expr.BinaryOp.POW, v("q"), neg(n(0.3))))));
        assertEquals("-(a + b)", Printer.print(neg(b(Expr.BinaryOp.ADD, v("a"), v("b")))));
        assertEquals("-(-a)", Printer.print(neg(neg(v("a")))));
        assertEquals("(a + b) * c", Printer.print(b(Expr.BinaryOp.MUL, b(Expr.BinaryOp.ADD, v("a"), v("b")), v("c"))));
        assertEquals("a / (b * c)", Printer.print(b(Expr.BinaryOp.DIV, v("a"), b(Expr.BinaryOp.MUL, v("b"), v("c")))));
        assertEquals("a @ x + b", Printer.print(b(Expr.BinaryOp.ADD, b(Expr.BinaryOp.MATMUL, v("a"), v("x")), v("b"))));
        assertEquals("a - -b", Printer.print(b(Expr.BinaryOp.SUB, v("a"), neg(v("b")))));
        assertEquals("(-3)^2", Printer.print(b(Expr.BinaryOp.POW, n(-3), n(2))), "a negative literal prints as a negation");
    }

    @Test
    void numbersReparseToTheSameDouble() {
        assertEquals("3", Printer.print(n(3)));
        assertEquals("0", Printer.print(n(0)));
        assertEquals("0.5", Printer.print(n(0.5)));
        assertEquals("1e-4", Printer.print(n(1e-4)));
        assertEquals("2.5e20", Printer.print(n(2.5e20)));
        assertEquals("1e15", Printer.print(n(1e15)));
        assertEquals("-2", Printer.print(n(-2)));
        for (double x : new double[] {0.1, 1.0 / 3, 1e-4, 4.9e-324, Double.MAX_VALUE, 123456.789, 1e300, 0.30000000000000004}) {
            Expr parsed = Parse.expression(new SourceFile("n", Printer.print(n(x)))).expression().orElseThrow();
            assertEquals(x, ((Expr.Num) parsed).value());
        }
        assertThrows(IllegalArgumentException.class, () -> Printer.print(n(Double.NaN)));
    }

    @Test
    void stringsStatementsAndPrograms() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\r\"", Printer.quote("a\"b\\c\nd\te\r"));
        Program p = Parse.program(new SourceFile("p", """
                G( x,y )=x+y ;  prior=diffusion( "mnist" ) ;x~prior;
                observe y~Normal(G(x,1),σ);compose prior*clf^γ;
                sample x with tds(particles=16) into "out/a";
                """)).program().orElseThrow();
        assertEquals("""
                G(x, y) = x + y;
                prior = diffusion("mnist");
                x ~ prior;
                observe y ~ Normal(G(x, 1), σ);
                compose prior * clf^γ;
                sample x with tds(particles = 16) into "out/a";
                """, Printer.print(p));
        assertEquals("sample x;", Printer.print(new Stmt.Sample(new Ident("x", Span.NONE), Optional.empty(), Optional.empty(), Span.NONE)));
        assertEquals("m = [[1, 0], [0, 1]];", Printer.print(new Stmt.Binding(new Ident("m", Span.NONE),
                new Expr.Vector(List.of(new Expr.Vector(List.of(n(1), n(0)), Span.NONE), new Expr.Vector(List.of(n(0), n(1)), Span.NONE)),
                        Span.NONE), Span.NONE)));
    }

    @Test
    void spansStripRemovesEveryPosition() {
        Program p = Parse.program(new SourceFile("p", "sample x with tds(k = [1, -2]) into \"d\";")).program().orElseThrow();
        Program stripped = Spans.strip(p);
        assertEquals(Span.NONE, stripped.span());
        Stmt.Sample s = (Stmt.Sample) stripped.statements().get(0);
        assertEquals(Span.NONE, s.latent().span());
        Arg a = s.sampler().orElseThrow().args().get(0);
        assertEquals(Span.NONE, a.span());
        assertEquals(Span.NONE, a.name().orElseThrow().span());
        assertEquals(Span.NONE, ((Expr.Vector) a.value()).elements().get(1).span());
        assertEquals(Span.NONE, ((Expr.Neg) ((Expr.Vector) a.value()).elements().get(1)).operand().span());
        assertEquals(Span.NONE, s.into().orElseThrow().span());
        assertEquals(stripped, Spans.strip(Parse.program(new SourceFile("q", "\n\nsample   x with tds(k=[1,-2])into\"d\";"))
                .program().orElseThrow()));
    }
}
