package dfl.compiler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dfl.ast.Expr;
import dfl.compiler.builtin.Args;
import dfl.compiler.builtin.Builtin;
import dfl.compiler.builtin.BuiltinRegistry;
import dfl.compiler.builtin.Param;
import dfl.compiler.builtin.Signature;
import dfl.compiler.value.Value;
import dfl.diag.Code;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.plan.Density;
import dfl.plan.FactorRef;
import dfl.plan.ModelRef;
import dfl.plan.Schedule;
import dfl.plan.Shape;
import dfl.plan.TensorExpr;
import dfl.source.SourceFile;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A small built-in library for testing the compiler without the standard library (which depends on the compiler):
 * {@code diffusion("gauss")} an exact 2-D Gaussian prior (with energies), {@code diffusion("gauss-cosine")} the same on
 * the cosine schedule, {@code diffusion("net")} a score-only 2-D prior, {@code clf()} a
 * classifier factor over 2-D latents, {@code Normal(mean, sigma)} the observation model.
 */
final class TestPrograms {

    private TestPrograms() {}

    static final Shape XY = Shape.of(2);

    static BuiltinRegistry builtins() {
        return new BuiltinRegistry()
                .register(fn("diffusion", Signature.of(Param.required("model", "\"gauss\" or \"net\"")), TestPrograms::diffusion))
                .register(fn("clf", Signature.of(), (call, args) -> new Value.Dens(new Density.Factor("clf",
                        new FactorRef.Classifier("c", 1, 1.0), call.span()), XY)))
                .register(fn("Normal", Signature.of(Param.required("mean", "a tensor"), Param.required("sigma", "a positive number")),
                        TestPrograms::normal));
    }

    private static Value diffusion(Expr.Call call, Args args) {
        String model = args.string("model").orElse("");
        ModelRef ref = switch (model) {
            case "gauss", "gauss-cosine" -> new ModelRef.Gmm(List.of(1.0), List.of(List.of(0.0, 0.0)), List.of(List.of(List.of(1.0, 0.0), List.of(0.0, 1.0))));
            case "net" -> new ModelRef.TorchScript("net.pt", "eps", XY);
            default -> null;
        };
        if (ref == null) {
            args.invalid("model", "unknown test model '" + model + "'");
            return new Value.Error();
        }
        Schedule schedule = model.endsWith("-cosine") ? new Schedule("cosine", 1000, 0, 0) : Schedule.DEFAULT;
        return new Value.Dens(new Density.Diffusion(model, ref, schedule, call.span()), XY);
    }

    private static Value normal(Expr.Call call, Args args) {
        Optional<Value> mean = args.value("mean");
        double sigma = args.positive("sigma", 1.0);
        if (mean.isEmpty() || mean.get() instanceof Value.Error || args.failed()) return new Value.Error();
        if (mean.get() instanceof Value.Tensor t) return new Value.Dist("Normal", t, sigma);
        if (mean.get() instanceof Value.Num n) return new Value.Dist("Normal", new Value.Tensor(Shape.SCALAR, TensorExpr.Const.scalar(n.value()), false), sigma);
        args.kindError("mean", "a tensor", mean.get());
        return new Value.Error();
    }

    private static Builtin fn(String name, Signature sig, BiFunction<Expr.Call, Args, Value> body) {
        return new Builtin() {
            public String name() {
                return name;
            }

            public Signature signature() {
                return sig;
            }

            public String summary() {
                return "test built-in " + name;
            }

            public Value apply(Expr.Call call, Args args) {
                return body.apply(call, args);
            }
        };
    }

    static Compiler.Builder compiler() {
        return Compiler.builder().setBuiltins(builtins());
    }

    static CompileResult compile(String text) {
        return compiler().build().compile(new SourceFile("t.dfl", text));
    }

    static Checked check(String text) {
        return compiler().build().check(new SourceFile("t.dfl", text));
    }

    /** The codes of the errors, in reading order. */
    static List<Code> errors(CompileResult r) {
        return r.errors().stream().map(Diagnostic::code).toList();
    }

    /** Asserts the result has an error with {@code code} whose rendering contains every one of {@code fragments}. */
    static void assertError(CompileResult r, Code code, String... fragments) {
        Optional<Diagnostic> d = r.errors().stream().filter(x -> x.code() == code).findFirst();
        String all = DiagnosticRenderer.renderAll(r.source(), r.diagnostics());
        assertTrue(d.isPresent(), "expected " + code.printed() + ", got:\n" + all);
        String text = DiagnosticRenderer.render(r.source(), d.get());
        for (String f : fragments) assertTrue(text.contains(f), "'" + f + "' not in:\n" + text);
        assertTrue(r.plan().isEmpty(), "a program with errors has no plan");
    }

    /** Asserts the program compiles to a plan without errors. */
    static CompileResult assertCompiles(String text) {
        CompileResult r = compile(text);
        assertTrue(r.plan().isPresent() && !r.hasErrors(), DiagnosticRenderer.renderAll(r.source(), r.diagnostics()));
        return r;
    }

    /** The prior and one observation of y = [1.2] through A = [[1, 0.5]] (the posterior2d toy). */
    static final String TOY = """
            prior = diffusion(\"gauss\");
            A = [[1.0, 0.5]];
            y = [1.2];
            observe y ~ Normal(A @ x, 0.3);
            """;
}
