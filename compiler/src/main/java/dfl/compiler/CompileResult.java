package dfl.compiler;

import dfl.ast.Program;
import dfl.diag.Diagnostic;
import dfl.plan.SamplerPlan;
import dfl.source.SourceFile;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of compiling one source: the {@link Checked} analysis (bindings, latent, composition), the plan (if
 * there were no errors), and every diagnostic, errors and warnings, in reading order.
 */
public record CompileResult(Checked analysis, Optional<SamplerPlan> plan, List<Diagnostic> diagnostics) {

    public CompileResult {
        diagnostics = List.copyOf(diagnostics);
    }

    /** The compiled text. */
    public SourceFile source() {
        return analysis.source();
    }

    /** The parsed program, if it parsed. */
    public Optional<Program> program() {
        return analysis.program();
    }

    /** This result with other diagnostics (e.g. warnings promoted to errors); an error removes the plan. */
    public CompileResult withDiagnostics(List<Diagnostic> newDiagnostics) {
        boolean errors = newDiagnostics.stream().anyMatch(Diagnostic::isError);
        return new CompileResult(analysis, errors ? Optional.empty() : plan, newDiagnostics);
    }

    public boolean hasErrors() {
        return diagnostics.stream().anyMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
