package dfl.grammar;

import static dfl.ast.Expr.BinaryOp.ADD;
import static dfl.ast.Expr.BinaryOp.DIV;
import static dfl.ast.Expr.BinaryOp.MATMUL;
import static dfl.ast.Expr.BinaryOp.MUL;
import static dfl.ast.Expr.BinaryOp.POW;
import static dfl.ast.Expr.BinaryOp.SUB;
import static dfl.grammar.Trees.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Expr;
import dfl.ast.Program;
import dfl.ast.Spans;
import dfl.ast.Stmt;
import dfl.diag.Code;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParserTest {

    static final String CARD = """
            // examples/mnist/card.dfl -- the design card's three statements in one program:
            // a partially observed digit, steered towards class 3
            prior = diffusion("mnist");
            classifier = classifier("mnist", label = 3);   // rebinding a built-in's name is allowed
            y = load("examples/mnist/data/left-half-3.png");
            M = mask("left-half", 28, 28);
            G(x) = M * x;
            σ = 0.1;
            γ = 2.0;
            observe y ~ Normal(G(x), σ);
            compose prior * classifier^γ;
            sample x with tds(particles = 16, steps = 100);
            """;

    static final String CLASS7 = """
            // examples/mnist/class7.dfl
            prior = diffusion("mnist");
            clf   = classifier("mnist", label = 7);
            γ = 1.0;
            compose prior * clf^γ;
            sample x with tds(particles = 16, steps = 100);
            """;

    static final String INPAINT = """
            // examples/mnist/inpaint.dfl
            prior = diffusion("mnist");
            y = load("examples/mnist/data/seven.png");
            M = mask("top-half", 28, 28);
            G(x) = M * x;
            σ = 0.05;
            x ~ prior;
            observe y ~ Normal(G(x), σ);
            sample x with tds(particles = 16);
            """;

    static final String POSTERIOR2D = """
            // examples/toy/posterior2d.dfl  -- analytic prior: exact scores, exact posterior known
            prior = diffusion(gmm(weights = [0.3, 0.7], means = [[-2, 0], [2, 1]], std = 0.5));
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            sample x with tds(particles = 1024, steps = 200);
            """;

    static final String PRODUCT = """
            // examples/toy/product.dfl  -- product of experts: needs annealed MCMC
            ring = diffusion(gmm(means = ring(8, 1.0), std = 0.05));
            bar  = diffusion(gmm(means = [[0, 0]], covs = [[[0.02, 0], [0, 1.0]]]));
            compose ring * bar;
            sample x with annealed(kernel = hmc(leapfrog = 3), mh = line_integral(points = 5));
            """;

    @Test
    void designCardParsesToTheExpectedTree() {
        Program p = Spans.strip(parse(CARD));
        List<Stmt> expected = List.of(
                new Stmt.Binding(id("prior"), call("diffusion", pos(str("mnist"))), Span.NONE),
                new Stmt.Binding(id("classifier"), call("classifier", pos(str("mnist")), named("label", num(3))), Span.NONE),
                new Stmt.Binding(id("y"), call("load", pos(str("examples/mnist/data/left-half-3.png"))), Span.NONE),
                new Stmt.Binding(id("M"), call("mask", pos(str("left-half")), pos(num(28)), pos(num(28))), Span.NONE),
                new Stmt.FunctionDef(id("G"), List.of(id("x")), bin(MUL, var("M"), var("x")), Span.NONE),
                new Stmt.Binding(id("σ"), num(0.1), Span.NONE),
                new Stmt.Binding(id("γ"), num(2.0), Span.NONE),
                new Stmt.Observe(var("y"), call("Normal", pos(call("G", pos(var("x")))), pos(var("σ"))), Span.NONE),
                new Stmt.Compose(bin(MUL, var("prior"), bin(POW, var("classifier"), var("γ"))), Span.NONE),
                new Stmt.Sample(id("x"), Optional.of(call("tds", named("particles", num(16)), named("steps", num(100)))),
                        Optional.empty(), Span.NONE));
        assertEquals(expected, p.statements());
    }

    @Test
    void allDesignExamplesParse() {
        assertEquals(5, parse(CLASS7).statements().size());
        Program inpaint = Spans.strip(parse(INPAINT));
        assertEquals(new Stmt.Latent(id("x"), var("prior"), Span.NONE), inpaint.statements().get(5));

        Program post = Spans.strip(parse(POSTERIOR2D));
        Stmt.Binding prior = (Stmt.Binding) post.statements().get(0);
        assertEquals(call("diffusion", pos(call("gmm",
                named("weights", vec(num(0.3), num(0.7))),
                named("means", vec(vec(neg(num(2)), num(0)), vec(num(2), num(1)))),
                named("std", num(0.5))))), prior.value());
        assertEquals(new Stmt.Observe(var("y"), call("Normal", pos(bin(MATMUL, var("A"), var("x"))), pos(num(0.3))), Span.NONE),
                post.statements().get(3));

        Program product = Spans.strip(parse(PRODUCT));
        Stmt.Sample s = (Stmt.Sample) product.statements().get(3);
        assertEquals(call("annealed", named("kernel", call("hmc", named("leapfrog", num(3)))),
                named("mh", call("line_integral", named("points", num(5))))), s.sampler().orElseThrow());
        Stmt.Binding bar = (Stmt.Binding) product.statements().get(1);
        Expr covs = ((Expr.Call) ((Expr.Call) bar.value()).args().get(0).value()).args().get(1).value();
        assertEquals(vec(vec(vec(num(0.02), num(0)), vec(num(0), num(1.0)))), covs);
    }

    @Test
    void precedenceAndAssociativity() {
        Expr a = var("a"), b = var("b"), c = var("c"), x = var("x");
        assertExpr(bin(SUB, bin(SUB, a, b), c), "a - b - c");
        assertExpr(bin(SUB, a, bin(SUB, b, c)), "a - (b - c)");
        assertExpr(bin(POW, a, bin(POW, b, c)), "a^b^c");
        assertExpr(bin(POW, bin(POW, a, b), c), "(a^b)^c");
        assertExpr(neg(bin(POW, x, num(2))), "-x^2");
        assertExpr(bin(POW, neg(x), num(2)), "(-x)^2");
        assertExpr(bin(POW, var("q"), neg(num(0.3))), "q^-0.3");
        assertExpr(bin(MUL, bin(POW, var("p"), num(1.3)), bin(POW, var("q"), neg(num(0.3)))), "p^1.3 * q^-0.3");
        assertExpr(bin(MUL, bin(POW, a, neg(b)), c), "a^-b*c");
        assertExpr(bin(POW, a, neg(bin(POW, b, c))), "a^-b^c");
        assertExpr(bin(ADD, a, bin(MUL, b, c)), "a + b * c");
        assertExpr(bin(DIV, bin(MUL, a, b), c), "a * b / c");
        assertExpr(bin(ADD, bin(MATMUL, var("A"), x), b), "A @ x + b");
        assertExpr(bin(MUL, neg(a), b), "-a * b");
        assertExpr(bin(SUB, a, neg(b)), "a - -b");
        assertExpr(neg(neg(a)), "--a");
        assertExpr(bin(ADD, var("p"), var("q")), "p + q");
    }

    @Test
    void literals() {
        assertExpr(num(0.001), "1e-3");
        assertExpr(num(0.5), ".5");
        assertExpr(num(1.0), "1.");
        assertExpr(num(2.5e10), "2.5E+10");
        assertExpr(num(7), "007");
        assertExpr(str("a\"b\\c\nd\te\rf"), "\"a\\\"b\\\\c\\nd\\te\\rf\"");
        assertExpr(str("σ ünïcode"), "\"σ ünïcode\"");
        assertExpr(vec(), "[]");
        assertExpr(vec(vec(num(1), num(0)), vec(num(0), num(1))), "[[1,0],[0,1]]");
        assertExpr(call("f", pos(var("a")), named("name", var("b"))), "f(a, name = b)");
        assertExpr(call("f"), "f()");
    }

    @Test
    void statementsOfEveryKind() {
        Program p = Spans.strip(parse("""
                F() = 1;
                H(a, b) = a + b;
                x ~ prior;
                observe f(y) ~ Normal(x, 1);
                compose p;
                sample x;
                sample x into "out/run";
                sample x with reverse() into "d";
                """));
        assertEquals(new Stmt.FunctionDef(id("F"), List.of(), num(1), Span.NONE), p.statements().get(0));
        assertEquals(List.of(id("a"), id("b")), ((Stmt.FunctionDef) p.statements().get(1)).params());
        assertEquals(new Stmt.Observe(call("f", pos(var("y"))), call("Normal", pos(var("x")), pos(num(1))), Span.NONE),
                p.statements().get(3));
        assertEquals(new Stmt.Sample(id("x"), Optional.empty(), Optional.empty(), Span.NONE), p.statements().get(5));
        assertEquals(new Stmt.Sample(id("x"), Optional.empty(), Optional.of((Expr.Str) str("out/run")), Span.NONE),
                p.statements().get(6));
        assertEquals(new Stmt.Sample(id("x"), Optional.of(call("reverse")), Optional.of((Expr.Str) str("d")), Span.NONE),
                p.statements().get(7));
    }

    @Test
    void unicodeNamesAndComments() {
        Program p = Spans.strip(parse("""
                /* block
                   comment */ σ = 1; // line comment
                x₁ = 2; μ_0 = 3; _ñ = 4; 変数 = 5; x̂ = 6; αβγ2 = 7;
                """));
        assertEquals(List.of("σ", "x₁", "μ_0", "_ñ", "変数", "x̂", "αβγ2"),
                p.statements().stream().map(s -> ((Stmt.Binding) s).name().name()).toList());
        assertTrue(parse("").statements().isEmpty());
        assertTrue(parse("// only a comment").statements().isEmpty());
        assertEquals(Span.NONE, parse("").span());
    }

    @Test
    void spansAreOneBasedWithInclusiveEnds() {
        Program p = parse("σ = 0.1;\nobserve y ~ Normal(G(x), σ);\n");
        Stmt.Observe o = (Stmt.Observe) p.statements().get(1);
        assertEquals(new Span(2, 1, 2, 28), o.span());
        assertEquals(new Span(2, 9, 2, 9), o.data().span());
        Expr.Call normal = (Expr.Call) o.distribution();
        assertEquals(new Span(2, 13, 2, 27), normal.span());
        assertEquals(new Span(2, 26, 2, 26), normal.args().get(1).value().span());
        assertEquals(new Span(1, 1, 1, 1), ((Stmt.Binding) p.statements().get(0)).name().span());
        assertEquals(new Span(1, 5, 1, 7), ((Stmt.Binding) p.statements().get(0)).value().span());
        assertEquals(new Span(1, 1, 2, 28), p.span());

        Expr e = parseExpr("(a + b) * -c");
        assertEquals(new Span(1, 1, 1, 12), e.span());
        Expr.Binary mul = (Expr.Binary) e;
        assertEquals(new Span(1, 1, 1, 7), mul.left().span(), "parentheses belong to the span");
        assertEquals(new Span(1, 11, 1, 12), mul.right().span());
        Expr.Call f = (Expr.Call) parseExpr("f(a, k = 2)");
        assertEquals(new Span(1, 6, 1, 10), f.args().get(1).span());
    }

    @Test
    void lineEndingsKeepLinesInStep() {
        Stmt crlf = parse("a = 1;\r\nb = 2;\r\n").statements().get(1);
        assertEquals(new Span(2, 1, 2, 6), crlf.span());
        Stmt cr = parse("a = 1;\rb = 2;\r").statements().get(1);
        assertEquals(new Span(2, 1, 2, 6), cr.span());
        SourceFile src = new SourceFile("t.dfl", "a = 1;\rb = ;\r");
        assertEquals(new Span(2, 5, 2, 5), Parse.program(src).diagnostics().get(0).span());
    }

    @Test
    void incompleteOnlyWhenInputEndsEarly() {
        assertTrue(incomplete("y = (1 +"));
        assertTrue(incomplete("y = 1"));
        assertTrue(incomplete("y = [1, 2"));
        assertTrue(incomplete("sample x with tds(particles = 16"));
        assertTrue(incomplete("/* unfinished comment"));
        assertTrue(incomplete("y = load(\"abc"));
        assertTrue(incomplete("observe y"));
        assertFalse(incomplete("y = load(\"abc\n"), "a string cannot continue on the next line");
        assertFalse(incomplete("y = 1 2;"));
        assertFalse(incomplete("y = $ +"));
        assertFalse(incomplete("y = 1 2;\nz = (1"), "an error before the end");
        ParseResult ok = Parse.program(new SourceFile("t", "y = 1;"));
        assertFalse(ok.incomplete());
        assertTrue(ok.program().isPresent());
    }

    private static boolean incomplete(String text) {
        ParseResult r = Parse.program(new SourceFile("t", text));
        assertFalse(r.diagnostics().isEmpty(), text);
        return r.incomplete();
    }

    @Test
    void expressionEntryPoint() {
        ExpressionResult open = Parse.expression(new SourceFile("<repl>", "1 +"));
        assertTrue(open.incomplete());
        ExpressionResult extra = Parse.expression(new SourceFile("<repl>", "a b"));
        assertFalse(extra.incomplete());
        assertEquals("expected an operator or the end of the expression, found the name 'b'.",
                extra.diagnostics().get(0).message());
    }

    @Test
    void resynchronisesAtSemicolonsToReportLaterStatements() {
        ParseResult r = Parse.program(new SourceFile("t", "a = ;\nb = 1;\nc = 2 3;\nd = );\n"));
        assertEquals(List.of(1, 3, 4), r.diagnostics().stream().map(d -> d.span().startLine()).toList());
        assertTrue(r.diagnostics().stream().allMatch(d -> d.code() == Code.E0003));
        assertTrue(r.program().isEmpty());
    }

    @Test
    void errorsNeverDumpTokenSets() {
        for (String bad : List.of("y = f(a b", "x ~ ;", "observe y Normal(x);", "G(x, 1) = x;", "sample with tds();",
                "y = [1 2];", "f(a=1, =2);", "y = (1;", ")", "sample x with tds into \"d\";", "y = 1 ++ 2;")) {
            ParseResult r = Parse.program(new SourceFile("t", bad));
            assertFalse(r.diagnostics().isEmpty(), bad);
            for (var d : r.diagnostics()) {
                assertFalse(d.message().contains("{") || d.message().contains("<EOF>") || d.message().contains("mismatched")
                        || d.message().contains("viable"), d.message());
            }
        }
    }

    @Test
    void treesAtTheLimitsParsePrintAndCompareOnTheDefaultOneMegabyteStack() throws Exception {
        String deep = "y = " + "(".repeat(190) + "-x^-2" + ")".repeat(190) + ";";
        String vectors = "m = " + "[".repeat(195) + "1" + "]".repeat(195) + ";";
        String chain = "s = " + "1 + ".repeat(250) + "1;";
        String pow = "p = " + "a^".repeat(195) + "b;";
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                for (String text : List.of(deep, vectors, chain, pow)) {
                    Program p = parse(text);
                    assertEquals(Spans.strip(p), Spans.strip(parse(dfl.ast.Printer.print(p))));
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "default-sized-stack", 1024 * 1024);
        t.start();
        t.join();
        if (failure[0] != null) throw new AssertionError(failure[0]);
    }

    @Test
    void pathologicalNestingEndsWithADiagnostic() {
        for (String text : List.of("y = " + "(".repeat(100_000), "y = " + "-".repeat(100_000) + "x;",
                "y = " + "a^".repeat(100_000) + "b;", "y = " + "[".repeat(300) + "]".repeat(300) + ";",
                "y = " + "1+".repeat(200_000) + "1;")) {
            ParseResult r = Parse.program(new SourceFile("t", text));
            assertEquals(Code.E0004, r.diagnostics().get(0).code());
        }
    }

    @Test
    void tooLargeProgramsAreRejected() {
        StringBuilder sb = new StringBuilder("x = [");
        for (int i = 0; i < 500_001; i++) sb.append("0,");
        sb.append("0];");
        ParseResult manyTokens = Parse.program(new SourceFile("t", sb.toString()));
        assertEquals(Code.E0006, manyTokens.diagnostics().get(0).code());
        String big = "/*" + " ".repeat(5_000_000) + "*/";
        ParseResult manyChars = Parse.program(new SourceFile("t", big));
        assertEquals(Code.E0006, manyChars.diagnostics().get(0).code());
        assertEquals(Span.NONE, manyChars.diagnostics().get(0).span());
    }

    @Test
    void keywordsAreReserved() {
        assertEquals(java.util.Set.of("observe", "compose", "sample", "with", "into"), Parse.KEYWORDS);
        assertInstanceOf(Stmt.Binding.class, parse("observer = 1; sampled = 2; within = 3;").statements().get(0));
    }
}
