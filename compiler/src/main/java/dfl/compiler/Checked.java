package dfl.compiler;

import dfl.ast.Expr;
import dfl.ast.Program;
import dfl.ast.Stmt;
import dfl.compiler.value.Value;
import dfl.diag.Diagnostic;
import dfl.plan.Density;
import dfl.plan.Shape;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis of a program, as the checker leaves it and {@link Compiler#lower} reads it: every top-level binding
 * with its kind, shape and compile-time value, the latent, the composition (the prior part of the target), the
 * observations, the sample statement and every diagnostic found so far. Immutable; the front ends read it instead of
 * recompiling ({@code DflModel.bind}, the REPL's {@code :show}, {@code dfl check --dump values}).
 *
 * @param source       the program's text
 * @param modelName    the file's stem
 * @param program      the parsed program (after a syntax error, what the parser recovered, if anything)
 * @param bindings     top-level bindings and functions in program order (a name bound twice, in the REPL, appears twice)
 * @param latent       the sampled variable, when a statement names it (or the REPL inferred it)
 * @param composition  the prior part of the target: the {@code compose} density, the {@code x ~ prior} declaration,
 *                     or the one {@code diffusion(...)} binding; empty when there is none or it has errors
 * @param observations the {@code observe} statements that checked, in order
 * @param sample       the (first) sample statement
 * @param diagnostics  every diagnostic of parsing and checking, in the order found
 * @param values       the compile-time value of every top-level expression the checker evaluated (by identity),
 *                     including the sampler's arguments
 */
public record Checked(SourceFile source, String modelName, Optional<Program> program, List<Binding> bindings, Optional<Latent> latent,
        Optional<Value.Dens> composition, List<Observation> observations, Optional<Stmt.Sample> sample,
        List<Diagnostic> diagnostics, Map<Expr, Value> values) {

    public Checked {
        bindings = List.copyOf(bindings);
        observations = List.copyOf(observations);
        diagnostics = List.copyOf(diagnostics);
        values = Collections.unmodifiableMap(new IdentityHashMap<>(values));
    }

    /** The analysis of a program that did not parse: its diagnostics and whatever the parser recovered. */
    static Checked unparsed(SourceFile source, String modelName, Optional<Program> program, List<Diagnostic> diagnostics) {
        return new Checked(source, modelName, program, List.of(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), diagnostics, Map.of());
    }

    /**
     * One top-level binding {@code name = value;} or function {@code name(params) = body;}.
     *
     * @param name      the bound name
     * @param statement the defining statement
     * @param value     its compile-time value (after any override from {@code --set} or data bound from Java)
     * @param declared  the value the program itself gives it (before any override)
     */
    public record Binding(String name, Stmt statement, Value value, Value declared) {

        /** The kind as users read it: "a number", "a tensor [1, 2]", "a density over [2]". */
        public String kind() {
            return value.describe();
        }

        /** The shape, for tensors and densities whose shape is known. */
        public Optional<Shape> shape() {
            if (value instanceof Value.Tensor t) return Optional.ofNullable(t.shape());
            if (value instanceof Value.Dens d) return Optional.ofNullable(d.shape());
            return Optional.empty();
        }
    }

    /** The latent: its name, its shape once a prior gives one, and where a statement names it ({@link Span#NONE} when inferred). */
    public record Latent(String name, Optional<Shape> shape, Span span) {}

    /**
     * A checked observation {@code observe data ~ family(mean, σ)}.
     *
     * @param data      the observed data
     * @param dist      the distribution, whose mean depends on the latent
     * @param statement the statement
     */
    public record Observation(Value.Tensor data, Value.Dist dist, Stmt.Observe statement) {}

    /** The last binding of {@code name} (the one in force at the end of the program), if any. */
    public Optional<Binding> binding(String name) {
        Binding found = null;
        for (Binding b : bindings) if (b.name().equals(name)) found = b;
        return Optional.ofNullable(found);
    }

    /** The composition's density tree, if there is one. */
    public Optional<Density> prior() {
        return composition.map(Value.Dens::density);
    }

    /** Whether the program parsed without syntax errors (only then was it checked). */
    public boolean parsed() {
        return program.isPresent() && diagnostics.stream().noneMatch(d -> d.isError() && d.code().name().startsWith("E00"));
    }

    /** Whether any diagnostic is an error. */
    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }
}
