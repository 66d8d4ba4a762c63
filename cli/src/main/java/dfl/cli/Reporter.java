package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import java.io.PrintWriter;
import java.util.List;

/** Prints diagnostics the one way they are rendered, errors and warnings alike, to stderr. */
final class Reporter {

    private Reporter() {}

    static void print(CompileResult result, PrintWriter err) {
        List<Diagnostic> ds = result.diagnostics();
        if (ds.isEmpty()) return;
        err.print(DiagnosticRenderer.renderAll(result.source(), ds));
        if (!DiagnosticRenderer.renderAll(result.source(), ds).endsWith("\n")) err.println();
    }
}
