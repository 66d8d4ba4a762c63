package dfl.cli;

import dfl.compiler.CompileResult;
import dfl.diag.Diagnostic;
import dfl.diag.DiagnosticRenderer;
import dfl.runtime.DflRuntimeException;
import dfl.source.SourceFile;
import dfl.source.Span;
import java.io.PrintWriter;
import java.util.List;

/** Prints diagnostics the one way they are rendered, errors and warnings alike, to stderr. */
final class Reporter {

    private Reporter() {}

    static void print(CompileResult result, PrintWriter err) {
        List<Diagnostic> ds = result.diagnostics();
        if (ds.isEmpty()) return;
        printText(DiagnosticRenderer.renderAll(result.source(), ds), err);
    }

    /** A failure while the model runs, rendered like any diagnostic. */
    static void print(SourceFile source, DflRuntimeException e, PrintWriter err) {
        printText(DiagnosticRenderer.render(source, Diagnostic.error(e.code(), Span.NONE, e.getMessage())), err);
    }

    private static void printText(String text, PrintWriter err) {
        err.print(text);
        if (!text.endsWith("\n")) err.println();
    }
}
